/// The exact status texts of api-v4.md §6 and §8.
enum SimulatorMessages {
    static let credentialsMissing = "BasicAuth or ApiKey is missing"
    static let credentialsInvalid = "BasicAuth or ApiKey is invalid"
    static let methodNotAllowed = "Method not allowed"
    static let unsupportedMediaType = "Unsupported Media Type"
    static let unparsable = "Unable to parse content"
    static let noSuchService = "Requested service does not exist"
    /// Simotel's generic failure (api-v4.md §6).
    static let operationFailed = "Requested operation failed"
    static let ping = "If the 'Ping' event is enabled in the settings menu, you'll receive it when it's sent"
    static let notFoundPage = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n"
}
