import AsyncHTTPClient

/// The HTTP client that sends webhooks (simulated events, forwards): one for the process, like
/// `HTTPClient.shared`, but a refused connection fails at once instead of being retried until
/// the timeout.
public enum WebhookHTTPClient {
    public static let shared: HTTPClient = {
        var config = HTTPClient.Configuration()
        config.connectionPool.retryConnectionEstablishment = false
        config.redirectConfiguration = .disallow
        config.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }()
}
