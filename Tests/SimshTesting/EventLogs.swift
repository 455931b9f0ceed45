import Foundation
import SimotelKit

/// The `i` field of each Ping an event log holds, in order; an error when its last line is torn.
package func loggedPings(_ path: String) throws -> [String] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard text.isEmpty || text.hasSuffix("\n") else { throw SpawnError(message: "\(path) ends in a torn line") }
    return try text.split(separator: "\n").map { line in
        try JSONValue.parse(String(line))["payload"]?["i"]?.stringValue ?? "?"
    }
}

/// A Ping event's body with a counter `i`, as the listener tests send them.
package func pingBody(_ i: Int) -> [UInt8] { Array(#"{"event_name":"Ping","i":"\#(i)"}"#.utf8) }
