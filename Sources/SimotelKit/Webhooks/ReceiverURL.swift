import Foundation

/// A receiver's address as a user types it (`http://user:password@host/hook`): the credentials
/// are taken out of the URL and sent as Basic credentials, as curl does, so the URL that is
/// shown, logged and sent holds no password.
public enum ReceiverURL {
    /// The URL without `user:password@`, and the credentials it held.
    public static func split(_ url: String) -> (url: String, basicAuth: (user: String, password: String)?) {
        guard url.contains("@"), var comps = URLComponents(string: url), comps.user != nil || comps.password != nil
        else { return (url, nil) }
        let user = comps.user.flatMap { $0.removingPercentEncoding ?? $0 } ?? ""
        let password = comps.password.flatMap { $0.removingPercentEncoding ?? $0 } ?? ""
        comps.user = nil
        comps.password = nil
        return (comps.string ?? url, (user, password))
    }

    /// `Authorization: Basic …` for the credentials.
    public static func header(_ auth: (user: String, password: String)) -> (String, String) {
        ("Authorization", "Basic " + Data("\(auth.user):\(auth.password)".utf8).base64EncodedString())
    }
}
