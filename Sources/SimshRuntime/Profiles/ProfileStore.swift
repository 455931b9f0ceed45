import Foundation
import SimotelKit
import SimshLanguage
import TOMLKit

/// The TOML config file: `default_profile = "NAME"` and one `[profiles.NAME]` table per
/// profile. Written atomically with mode 0600; keys simsh does not know are kept. A file
/// that holds secrets and that others can read is refused, as ssh refuses such keys.
public final class ProfileStore: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public struct Contents: Sendable {
        public var profiles: [Profile]
        public var defaultProfile: String?
    }

    public func load() throws -> Contents {
        let text = try AtomicFile.read(path) ?? ""
        let table = try parse(text)
        var profiles: [Profile] = []
        if let section = table["profiles"]?.table {
            for name in section.keys.sorted() {
                guard let t = section[name]?.table else { continue }
                profiles.append(try Self.profile(named: name, from: t, text: text, file: path))
            }
        }
        if profiles.contains(where: \.holdsSecrets) { try checkPermissions() }
        return Contents(profiles: profiles, defaultProfile: table["default_profile"]?.string)
    }

    public func profile(named name: String) throws -> Profile? {
        try load().profiles.first { $0.name == name }
    }

    public func save(_ profile: Profile) throws {
        guard Profile.isValidName(profile.name) else {
            throw SimshError.usage("invalid profile name '\(profile.name)' (use letters, digits, '-', '_', '.')")
        }
        try AtomicFile.withLock(path) {
            let table = try readTable()
            let section = table["profiles"]?.table ?? TOMLTable()
            section[profile.name] = Self.table(for: profile)
            table["profiles"] = section
            try write(table)
        }
    }

    /// Removes a profile; returns false when there was none of that name.
    @discardableResult
    public func remove(_ name: String) throws -> Bool {
        try AtomicFile.withLock(path) {
            let table = try readTable()
            guard let section = table["profiles"]?.table, section[name] != nil else { return false }
            section.remove(at: name)
            table["profiles"] = section
            if table["default_profile"]?.string == name { table.remove(at: "default_profile") }
            try write(table)
            return true
        }
    }

    public func setDefault(_ name: String?) throws {
        try AtomicFile.withLock(path) {
            let table = try readTable()
            if let name { table["default_profile"] = name } else { table.remove(at: "default_profile") }
            try write(table)
        }
    }

    private func readTable() throws -> TOMLTable {
        try parse(AtomicFile.read(path) ?? "")
    }

    private func parse(_ text: String) throws -> TOMLTable {
        if text.isEmpty { return TOMLTable() }
        // TOMLKit's C++ parser aborts on some malformed text instead of reporting it.
        if let p = TOMLPrecheck.problem(text) {
            throw SimshError.usage("\(path):\(p.line):\(p.column): invalid TOML: \(p.what)")
        }
        do {
            return try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SimshError.usage(
                "\(path):\(e.source.begin.line):\(e.source.begin.column): invalid TOML: \(e.description)")
        } catch {
            throw SimshError.usage("\(path): invalid TOML")
        }
    }

    private func write(_ table: TOMLTable) throws {
        try AtomicFile.write(table.convert(to: .toml) + "\n", to: path, mode: 0o600)
    }

    private func checkPermissions() throws {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        let mode = st.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw SimshError.io(
                "\(path) holds secrets but its permissions \(String(format: "%04o", mode)) let others read it; "
                    + "run 'chmod 600 \(path)'")
        }
    }

    static func table(for p: Profile) -> TOMLTable {
        let t = TOMLTable()
        t["url"] = p.url
        if let v = p.user { t["user"] = v }
        if let v = p.password { t["password"] = v }
        if let v = p.passwordEnv { t["password_env"] = v }
        if let v = p.apiKey { t["api_key"] = v }
        if let v = p.apiKeyEnv { t["api_key_env"] = v }
        if let v = p.auth { t["auth"] = v.rawValue }
        if let v = p.timeout { t["timeout"] = v }
        if p.insecure { t["insecure"] = true }
        if let v = p.confirm { t["confirm"] = v }
        if let v = p.listenUser { t["listen_user"] = v }
        if let v = p.listenPassword { t["listen_password"] = v }
        if let v = p.listenPasswordEnv { t["listen_password_env"] = v }
        if let v = p.maxSize { t["max_size"] = v }
        if let v = p.cacert { t["cacert"] = v }
        if let v = p.store { t["store"] = v }
        if let v = p.storeKeepDays { t["store_keep_days"] = v }
        if let v = p.storePasswordEnv { t["store_password_env"] = v }
        return t
    }
}
