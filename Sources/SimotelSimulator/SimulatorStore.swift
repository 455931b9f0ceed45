import Foundation
import NIOConcurrencyHelpers
import SimotelKit

/// The simulator's records, per resource (`pbx/users`, `pbx/trunks`, ...), in insertion order.
final class SimulatorStore: Sendable {
    private let tables = NIOLockedValueBox<[String: [JSONValue]]>([:])
    private let counter = NIOLockedValueBox<UInt32>(0)

    func all(_ resource: String) -> [JSONValue] { tables.withLockedValue { $0[resource] ?? [] } }

    func insert(_ resource: String, _ record: JSONValue) {
        tables.withLockedValue { $0[resource, default: []].append(record) }
    }

    /// Replaces the record with this `_id`; false when there is none.
    func update(_ resource: String, id: String, _ change: (JSONValue) -> JSONValue) -> JSONValue? {
        tables.withLockedValue { tables in
            guard var rows = tables[resource], let i = rows.firstIndex(where: { $0["_id"]?.stringValue == id }) else {
                return nil
            }
            rows[i] = change(rows[i])
            tables[resource] = rows
            return rows[i]
        }
    }

    func remove(_ resource: String, id: String) -> JSONValue? {
        tables.withLockedValue { tables in
            guard var rows = tables[resource], let i = rows.firstIndex(where: { $0["_id"]?.stringValue == id }) else {
                return nil
            }
            let removed = rows.remove(at: i)
            tables[resource] = rows
            return removed
        }
    }

    /// A MongoDB-like ObjectId: 4 bytes of time, 5 random, 3 of a counter (24 hex digits).
    func newID() -> String {
        let n = counter.withLockedValue { counter -> UInt32 in
            counter &+= 1
            return counter
        }
        let time = UInt32(Date().timeIntervalSince1970)
        var g = SystemRandomNumberGenerator()
        let random = (0..<5).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
        return String(format: "%08x", time) + random + String(format: "%06x", n & 0xFFFFFF)
    }
}
