import Foundation
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRuntime
import TOMLKit

/// A small dialplan of API components (`simulate call --dialplan FILE.toml`):
///
///     start = "s1"
///     [components.s1]
///     kind = "smart"                       # exten, trunk, ivr or smart
///     url = "${SERVICE}"                   # a variable, else the environment
///     cases = { go-s2 = "s2", e = "hangup" }
///     [components.s2]
///     kind = "smart"                       # no url: the session's listener answers (answer smart s2 …)
///     cases = { go-a = "queue 900", go-b = "queue 901" }
///
/// A case leads to another component (by its table name) or to an end (`queue 900`,
/// `extension 120`, `hangup`, any text). `app_name` defaults to the table's name.
public struct Dialplan: Sendable {
    public struct Component: Sendable {
        public var id: String
        public var kind: ComponentKind
        public var appName: String
        /// Where its requests go; empty until `answer(by:)` when the listener answers it.
        public var url: String
        public var cases: [String: String]
        /// No `url` (or `url = "listener"`): the session's listener answers it.
        public var byListener = false
        /// The listener's Basic credentials, sent as Simotel would be configured to.
        public var basicAuth: (user: String, password: String)? = nil
    }

    public var start: String
    public var components: [String: Component]

    /// Reads a dialplan file, `${NAME}` expanded by `lookup` first (an unknown name is an error
    /// naming it and its line); mistakes are usage errors naming the file (and the place, for TOML).
    public static func load(_ path: String, lookup: (String) -> String?) throws -> Dialplan {
        guard let raw = try AtomicFile.read(path) else { throw SimshError.io("cannot read \(path): no such file") }
        let text = try expand(raw, file: path, lookup: lookup)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SimshError.usage(
                "\(path):\(e.source.begin.line):\(e.source.begin.column): invalid TOML: \(e.description)")
        } catch {
            throw SimshError.usage("\(path): invalid TOML")
        }
        guard let section = table["components"]?.table, !section.keys.isEmpty else {
            throw SimshError.usage("\(path): no [components.NAME] tables")
        }
        var components: [String: Component] = [:]
        for id in section.keys {
            guard let t = section[id]?.table else { throw SimshError.usage("\(path): components.\(id) is not a table") }
            components[id] = try component(id, t, path: path)
        }
        let start = table["start"]?.string ?? section.keys.sorted()[0]
        guard components[start] != nil else { throw SimshError.usage("\(path): start = '\(start)' is no component") }
        // A case leads to a component or to an end written as words (`queue 900`, `hangup`): a
        // single word that names no component is a mistake, not an end.
        for component in components.values.sorted(by: { $0.id < $1.id }) {
            for (name, next) in component.cases.sorted(by: { $0.key < $1.key })
            where components[next] == nil && next != "hangup" && !next.contains(" ") {
                throw SimshError.usage(
                    "\(path): components.\(component.id).cases.\(name) = '\(next)' names no component "
                        + "(an end is written as words: 'queue 900', 'extension 120', 'hangup')")
            }
        }
        return Dialplan(start: start, components: components)
    }

    /// One `[components.ID]` table.
    static func component(_ id: String, _ t: TOMLTable, path: String) throws -> Component {
        guard let kindText = t["kind"]?.string, let kind = ComponentKind(rawValue: kindText) else {
            throw SimshError.usage("\(path): components.\(id).kind must be exten, trunk, ivr or smart")
        }
        if t["url"] != nil && t["url"]?.string == nil {
            throw SimshError.usage("\(path): components.\(id).url must be text (a URL, or \"listener\")")
        }
        let url = t["url"]?.string ?? "listener"
        var cases: [String: String] = [:]
        if let c = t["cases"]?.table {
            for key in c.keys {
                guard let next = c[key]?.string else {
                    throw SimshError.usage("\(path): components.\(id).cases.\(key) must be text")
                }
                cases[key] = next
            }
        }
        return Component(
            id: id, kind: kind, appName: t["app_name"]?.string ?? id, url: url == "listener" ? "" : url,
            cases: cases, byListener: url == "listener")
    }

    /// Points the components with no url at `listener` (its Basic credentials too); an error
    /// naming the first such component when no listener is running.
    public mutating func answer(by listener: WebhookListener?) throws {
        for id in components.keys.sorted() where components[id]?.byListener == true {
            guard let listener else {
                throw SimshError.usage(
                    "component \(id) has no url and no listener is running (listen events starts one)")
            }
            components[id]?.url = Self.reachableURL(of: listener)
            components[id]?.basicAuth = listener.configuration.basicAuth
        }
    }

    /// The listener's URL as this machine reaches it: one listening on every address
    /// (`0.0.0.0`, `::`) is reached on the loopback.
    static func reachableURL(of listener: WebhookListener) -> String {
        var url = listener.url
        for (any, loopback) in [("//0.0.0.0:", "//127.0.0.1:"), ("//[::]:", "//[::1]:")] {
            url = url.replacingOccurrences(of: any, with: loopback)
        }
        return url
    }
}
