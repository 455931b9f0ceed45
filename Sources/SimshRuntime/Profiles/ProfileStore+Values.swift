import SimotelKit
import SimshLanguage
import SimshRecords
import TOMLKit

/// A profile's values, checked as the command line checks the options they stand for (`--timeout`,
/// `--max-size`, `--auth`, …): a value the option would refuse is refused here too, with the file
/// and the line it is on. Nothing read from the file reaches the client unchecked.
extension ProfileStore {
    static func profile(named name: String, from t: TOMLTable, text: String = "", file: String = "") throws -> Profile {
        func problem(_ key: String, _ what: String) -> SimshError {
            SimshError.usage(
                place(of: key, inProfile: name, text: text, file: file) + "profile \(name): \(key) \(what)")
        }
        func string(_ key: String) throws -> String? {
            guard let v = t[key] else { return nil }
            guard let s = v.string else { throw problem(key, "must be a string") }
            return s
        }
        func bool(_ key: String) throws -> Bool? {
            guard let v = t[key] else { return nil }
            guard let b = v.bool else { throw problem(key, "must be true or false") }
            return b
        }
        guard let url = try string("url") else {
            throw SimshError.usage(
                place(of: nil, inProfile: name, text: text, file: file) + "profile \(name) has no url")
        }
        guard SimotelConnection.parseAddress(url) != nil else {
            throw problem("url", "must be an http:// or https:// URL, not '\(Redactor.fallback(url))'")
        }
        var auth: AuthMode?
        if let a = try string("auth") {
            guard let mode = AuthMode(rawValue: a) else {
                throw problem("auth", "must be basic, key or both, not '\(a)'")
            }
            auth = mode
        }
        var timeout: Double?
        if let v = t["timeout"] {
            // A number of seconds, or a duration as --timeout takes it ("10s", "500ms").
            let seconds = v.double ?? v.int.map(Double.init) ?? v.string.flatMap(DurationParser.seconds)
            guard let seconds, seconds.isFinite, seconds > 0, seconds <= DurationParser.maximum else {
                throw problem("timeout", "must be a duration more than 0 and at most a year, such as 10 or \"10s\"")
            }
            timeout = seconds
        }
        var profile = Profile(
            name: name, url: url, user: try string("user"), password: try string("password"),
            passwordEnv: try string("password_env"), apiKey: try string("api_key"),
            apiKeyEnv: try string("api_key_env"), auth: auth, timeout: timeout,
            insecure: try bool("insecure") ?? false, confirm: try bool("confirm"))
        profile.listenUser = try string("listen_user")
        profile.listenPassword = try string("listen_password")
        profile.listenPasswordEnv = try string("listen_password_env")
        profile.cacert = try string("cacert")
        if let size = t["max_size"] {
            let bytes = size.int ?? size.string.flatMap { ByteSizeArgument(argument: $0)?.bytes }
            guard let bytes, bytes > 0 else {
                throw problem("max_size", "must be a size more than 0, such as \"32MiB\"")
            }
            profile.maxSize = bytes
        }
        try storeValues(&profile, t, problem: problem)
        return profile
    }

    /// `store`, `store_keep_days`, `store_password_env`: checked as `--store` is.
    static func storeValues(_ profile: inout Profile, _ t: TOMLTable, problem: (String, String) -> SimshError) throws {
        if let v = t["store"] {
            guard let text = v.string else {
                throw problem("store", "must be a string: a file, a postgresql:// URL or \"off\"")
            }
            do {
                _ = try StoreLocation.parse(text, home: "~")
            } catch {
                throw problem("store", "is not usable: \(error.description)")
            }
            profile.store = text
        }
        if let v = t["store_keep_days"] {
            let days = v.double ?? v.int.map(Double.init)
            guard let days, days.isFinite, days >= 1, days <= 3650 else {
                throw problem("store_keep_days", "must be a number of days from 1 to 3650")
            }
            profile.storeKeepDays = days
        }
        if let v = t["store_password_env"] {
            guard let name = v.string, !name.isEmpty else {
                throw problem("store_password_env", "must be a variable's name")
            }
            profile.storePasswordEnv = name
        }
    }

    /// `FILE:LINE: ` of `key = …` in the profile's table (its `[profiles.NAME]` line for nil), or
    /// `FILE: ` when the text does not show it plainly (a dotted key, an inline table).
    static func place(of key: String?, inProfile name: String, text: String, file: String) -> String {
        guard !file.isEmpty else { return "" }
        var inTable = false
        var number = 0
        for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let line = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let header = line.filter { $0 != " " && $0 != "\t" && $0 != "\"" && $0 != "'" }
                inTable = header.hasPrefix("[profiles.\(name)]")
                if inTable, key == nil { return "\(file):\(number): " }
                continue
            }
            guard inTable, let key, line.hasPrefix(key) else { continue }
            let rest = line.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
            if rest.hasPrefix("=") { return "\(file):\(number): " }
        }
        return "\(file): "
    }
}
