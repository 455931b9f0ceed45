import Foundation

/// Which names hold secrets: field names in request bodies and on command lines, variable names.
/// One rule for the history, traces, reports and the checks that refuse a masked value.
public enum SecretNames {
    static let exact: Set<String> = ["password", "passwd", "pass", "secret", "api_key", "apikey", "token"]
    static let suffixes = ["_password", "_passwd", "_secret", "_token", "_apikey", "_api_key"]

    /// `secret`, `password`, `passwd`, `api_key`, `apikey`, `token`, `*_password`, `*_secret`,
    /// `*_token`, and the catalog's secret fields; any case; for a dotted name, its last part
    /// (`forward_policy.secret`).
    public static func isSecretKey(_ key: some StringProtocol) -> Bool {
        var k = key.lowercased()
        if let dot = k.lastIndex(of: ".") { k = String(k[k.index(after: dot)...]) }
        return exact.contains(k) || suffixes.contains { k.hasSuffix($0) } || catalogFields.contains(k)
    }

    /// Variable names that look like they hold secrets (`SIMSH_PASSWORD`, `db_token`, `MY_SECRET_2`).
    public static func isSecretVariable(_ name: some StringProtocol) -> Bool {
        let n = name.lowercased()
        return ["password", "passwd", "secret", "api_key", "apikey", "token"].contains { n.contains($0) }
    }

    /// HTTP header names whose values are credentials: `Authorization`, `Proxy-Authorization`,
    /// `Cookie`, `X-APIKEY` and any name holding `auth`, `token`, `secret`, `password`, `passwd`,
    /// `apikey`, `api-key` or `api_key` (`X-Auth-Token`, `X-Api-Key`); any case.
    public static func isSecretHeader(_ name: some StringProtocol) -> Bool {
        let n = name.lowercased().trimmingCharacters(in: .whitespaces)
        if n == "cookie" || n == "set-cookie" { return true }
        return ["auth", "token", "secret", "password", "passwd", "apikey", "api-key", "api_key"].contains {
            n.contains($0)
        }
    }

    /// The secret in a header's value (`Bearer abc` → `abc`: an `Authorization` scheme stays
    /// readable), or nil for a header that holds none.
    public static func headerCredential(name: some StringProtocol, value: some StringProtocol) -> String? {
        guard isSecretHeader(name) else { return nil }
        let v = value.trimmingCharacters(in: .whitespaces)
        let n = name.lowercased()
        if n.hasSuffix("authorization"), let space = v.firstIndex(of: " ") {
            let credential = v[space...].trimmingCharacters(in: .whitespaces)
            return credential.isEmpty ? nil : credential
        }
        return v.isEmpty ? nil : v
    }

    /// The scheme word before an `Authorization` header's credential (`Bearer `), or "".
    public static func headerScheme(name: some StringProtocol, value: some StringProtocol) -> String {
        let v = value.trimmingCharacters(in: .whitespaces)
        guard name.lowercased().hasSuffix("authorization"), let space = v.firstIndex(of: " ") else { return "" }
        return String(v[...space])
    }

    /// A value that is a mask rather than a secret: `****` as simsh writes it, `******` as Simotel
    /// answers secrets in search results.
    public static func isMask(_ value: some StringProtocol) -> Bool {
        value.count >= 3 && value.allSatisfy { $0 == "*" }
    }

    /// The catalog's fields documented as passwords (their last name part, lower-cased).
    static let catalogFields: Set<String> = {
        var names: Set<String> = []
        for spec in EndpointCatalog.all {
            for field in spec.fields where field.help.lowercased().contains("password") {
                names.insert(String(field.name.split(separator: ".").last ?? Substring(field.name)).lowercased())
            }
        }
        return names
    }()
}
