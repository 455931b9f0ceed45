import Foundation
import NIOSSL
import SafeFiles

/// A PEM file of certificate authorities (`--cacert FILE`, a profile's `cacert`, `SSL_CERT_FILE`):
/// one or more `-----BEGIN CERTIFICATE-----` blocks, text between them allowed. The client trusts
/// them besides the system's authorities.
public enum CAFile {
    /// The largest CA file read (a system bundle is about 200 KiB).
    static let maxBytes = 16 << 20

    /// Why the file cannot be used, in words (`no such file`, `holds no PEM certificate`, …); nil
    /// when it holds at least one certificate.
    public static func problem(at path: String) -> String? {
        do throws(Refusal) {
            _ = try certificates(at: path)
            return nil
        } catch {
            return error.reason
        }
    }

    /// Why a CA file was refused.
    public struct Refusal: Error, Sendable {
        public var reason: String
    }

    /// The certificates of a PEM file; throws `Refusal` with the reason in words.
    public static func certificates(at path: String) throws(Refusal) -> [NIOSSLCertificate] {
        let bytes = try contents(path)
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains("-----BEGIN CERTIFICATE-----") else {
            if bytes.first == 0x30 {
                throw Refusal(
                    reason: "not a PEM file (DER? convert it: openssl x509 -inform der -in FILE -out FILE.pem)")
            }
            throw Refusal(reason: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMBytes(bytes)
        } catch {
            throw Refusal(reason: "holds a certificate that cannot be read (not valid PEM)")
        }
        guard !certificates.isEmpty else {
            throw Refusal(reason: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// The file's bytes, when it is a readable regular file of a sensible size.
    static func contents(_ path: String) throws(Refusal) -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            throw Refusal(reason: code == ENOENT ? "no such file" : FileProblem.reason(code))
        }
        if st.st_mode & S_IFMT == S_IFDIR { throw Refusal(reason: "is a directory, not a PEM file") }
        guard st.st_mode & S_IFMT == S_IFREG else { throw Refusal(reason: "not a regular file") }
        guard Int(st.st_size) <= maxBytes else { throw Refusal(reason: "larger than \(ByteSize.text(maxBytes))") }
        let bytes: [UInt8]?
        do throws(FileProblem) {
            bytes = try SafeFile.read(path)
        } catch {
            throw Refusal(reason: "cannot be read (\(FileProblem.reason(error.code ?? EIO)))")
        }
        guard let bytes else { throw Refusal(reason: "no such file") }
        guard !bytes.isEmpty else { throw Refusal(reason: "is empty") }
        return bytes
    }
}
