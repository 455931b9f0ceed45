import Testing

@testable import SimotelKit

/// What a 401 says was sent (issue 23, point 6): the user, the headers and the auth mode, in
/// words, never a secret.
@Suite struct SentCredentialsTests {
    static let cases: [(SimotelCredentials, String)] = [
        (
            SimotelCredentials(user: "admin", password: "s3cret-pw", apiKey: "k3y-value", mode: .both),
            "sent Authorization: Basic for user 'admin' and X-APIKEY (auth both)"
        ),
        (
            SimotelCredentials(user: "admin", password: "s3cret-pw", apiKey: nil, mode: .both),
            "sent Authorization: Basic for user 'admin' (auth both; not sent: X-APIKEY (no API key))"
        ),
        (
            SimotelCredentials(user: "admin", password: nil, apiKey: nil, mode: .basic),
            "sent Authorization: Basic for user 'admin' with no password (auth basic)"
        ),
        (SimotelCredentials(user: nil, password: nil, apiKey: "k3y-value", mode: .key), "sent X-APIKEY (auth key)"),
        (SimotelCredentials(), "sent no credentials (no user, no API key)"),
    ]

    @Test func theWordsNameTheUserTheHeadersAndTheModeNeverASecret() {
        for (credentials, words) in Self.cases {
            let text = credentials.sentDescription()
            #expect(text == words)
            #expect(!text.contains("s3cret-pw") && !text.contains("k3y-value"), "\(text)")
        }
        let extra = SimotelCredentials(user: nil, password: nil, apiKey: nil, mode: .key)
            .sentDescription(extraHeaders: ["X-Auth-Token"])
        #expect(extra == "sent X-Auth-Token (-H) (auth key; not sent: X-APIKEY (no API key))")
    }

    @Test func aResponsesErrorSaysWhatWasSentAndWhere() {
        func answer(_ method: String, _ url: String, _ status: Int, _ body: String) -> SimotelResponse {
            SimotelResponse(
                method: method, url: url, status: status, reason: status == 404 ? "Not Found" : "Other",
                contentType: body.hasPrefix("{") ? "application/json" : "text/html", body: Array(body.utf8),
                elapsedMilliseconds: 1)
        }
        let envelope = #"{"success":0,"message":"BasicAuth or ApiKey is invalid"}"#
        var withCredentials = answer("PUT", "http://pbx/api/v4/setting/ping/act", 401, envelope)
        withCredentials.sentCredentials = "sent X-APIKEY (auth key)"
        let unauthorized = withCredentials
        let sent = SimotelError.http(status: 401, message: "BasicAuth or ApiKey is invalid; sent X-APIKEY (auth key)")
        #expect(throws: sent) { try unauthorized.checked() }
        let missing = answer("POST", "http://pbx/base/api/v4/pbx/users/search", 404, "<html>no</html>")
        let requested = SimotelError.http(
            status: 404, message: "Not Found; requested POST http://pbx/base/api/v4/pbx/users/search")
        #expect(throws: requested) { try missing.checked() }
        let nginx = answer(
            "PUT", "http://pbx:8443/api/v4/setting/ping/act", 400,
            "<title>400 The plain HTTP request was sent to HTTPS port</title>")
        let https = SimotelError.http(status: 400, message: "the server speaks TLS on this port: try https://pbx:8443")
        #expect(throws: https) { try nginx.checked() }
    }
}
