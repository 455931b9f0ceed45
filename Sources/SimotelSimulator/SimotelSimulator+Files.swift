import Foundation
import HTTPServerKit
import MultipartKit
import NIOConcurrencyHelpers
import NIOCore
import SimotelKit

/// Uploads (multipart, one part named `file`) kept in memory and served back by the download
/// services, byte for byte; 404 with no body for a file that is not there (api-v4.md §4, §8).
extension SimotelSimulator {
    static func fileService(_ spec: EndpointSpec) -> Service? {
        switch spec.body {
        case .upload:
            let upload: @Sendable (SimotelSimulator, ServerRequest) -> ServerResponse = { sim, request in
                sim.upload(spec, request)
            }
            return Service(methods: ["POST"], run: { _, _ in .text(500, "") }, upload: upload)
        case .download:
            return Service(methods: ["POST"]) { sim, body in sim.download(spec, body) }
        case .json:
            return nil
        }
    }

    func upload(_ spec: EndpointSpec, _ request: ServerRequest) -> ServerResponse {
        guard request.mediaType == "multipart/form-data",
            let boundary = request.header("Content-Type")?.components(separatedBy: "boundary=").last?
                .trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        else {
            return Self.envelope(415, success: 0, message: SimulatorMessages.unsupportedMediaType)
        }
        guard let (name, bytes) = Self.filePart(request.body, boundary: boundary) else {
            return Self.envelope(200, success: 0, message: "Field 'file':value is missing")
        }
        let stored = Self.storedName(for: name, fax: spec.path.hasPrefix("pbx/faxes"))
        files.put(stored, bytes)
        let message = spec.path.hasPrefix("pbx/") ? "1 file(s) uploaded successfully" : ""
        return Self.envelope(200, success: 1, message: message, data: .object([("filename", .string(stored))]))
    }

    /// The part named `file`: its filename and bytes, parsed with MultipartKit.
    static func filePart(_ body: [UInt8], boundary: String) -> (String, [UInt8])? {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var current: [UInt8] = []
        var found: (String, [UInt8])?
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in current += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            if found == nil, disposition.contains("name=\"file\"") {
                let fileName =
                    disposition.components(separatedBy: "filename=\"").dropFirst().first?
                    .components(separatedBy: "\"").first ?? "file"
                found = (fileName, current)
            }
            headers = []
            current = []
        }
        do { try parser.execute(body) } catch { return nil }
        return found
    }

    /// `file-20230719143541-90036-announcemp3_.wav`, like the server's stored names.
    static func storedName(for original: String, fax: Bool) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMddHHmmss"
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        let base = (original as NSString).deletingPathExtension.lowercased()
            .map { $0.isLetter || $0.isNumber ? String($0) : "" }.joined().prefix(20)
        let ext = (original as NSString).pathExtension.lowercased()
        let random = Int.random(in: 10000...99999)
        return "\(fax ? "sen_" : "")file-\(f.string(from: Date()))-\(random)-\(base)_" + (ext.isEmpty ? "" : "." + ext)
    }

    func download(_ spec: EndpointSpec, _ body: JSONValue) -> ServerResponse {
        var name: String?
        if spec.path == "reports/audio/download" {
            name = body["file"]?.stringValue
        } else if let id = body["_id"]?.stringValue {
            name = store.all("pbx/faxes").first { $0["_id"]?.stringValue == id }?["file"]?.stringValue
        }
        guard let name, let bytes = files.get(name) else {
            return ServerResponse(status: 404, headers: [], body: [])
        }
        return ServerResponse(status: 200, headers: [("Content-Type", Self.mediaType(of: name))], body: bytes)
    }

    static func mediaType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "mp3": return "audio/mpeg"
        case "wav": return "audio/wav"
        case "pdf": return "application/pdf"
        case "tif", "tiff": return "image/tiff"
        case "csv": return "text/csv"
        default: return "application/octet-stream"
        }
    }
}

/// Stored files by name.
final class SimulatorFiles: Sendable {
    private let files = NIOLockedValueBox<[String: [UInt8]]>([:])
    func put(_ name: String, _ bytes: [UInt8]) { files.withLockedValue { $0[name] = bytes } }
    func get(_ name: String) -> [UInt8]? { files.withLockedValue { $0[name] } }
}
