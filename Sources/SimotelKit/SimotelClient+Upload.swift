import Foundation
import MultipartKit
import NIOCore
import NIOHTTP1

extension SimotelClient {
    /// Sends a file as `multipart/form-data` with one part named `file` (api-v4.md §4).
    public func upload(path: String, fileName: String, bytes: [UInt8]) async throws -> SimotelResponse {
        let boundary = "simsh-" + UUID().uuidString
        var headers = HTTPHeaders()
        let safeName = fileName.replacingOccurrences(of: "\"", with: "_")
        headers.add(name: "Content-Disposition", value: "form-data; name=\"file\"; filename=\"\(safeName)\"")
        headers.add(name: "Content-Type", value: "application/octet-stream")
        let part = MultipartPart(headers: headers, body: ByteBuffer(bytes: bytes))
        var buffer = ByteBuffer()
        try MultipartSerializer().serialize(parts: [part], boundary: boundary, into: &buffer)
        return try await send(
            method: "POST", path: path, body: Array(buffer.readableBytesView),
            contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
