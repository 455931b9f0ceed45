import Foundation
import SimotelKit

/// Call detail records as Simotel stores them (api-v4.md §8.12.1): one builder for the seed's
/// history and for the calls the simulator plays.
extension SimotelSimulator {
    struct CallRecord {
        var cuid: String
        var type: String  // incoming, outgoing, local
        var src: String
        var dst: String
        var disposition: String  // ANSWERED, NO ANSWER, BUSY, FAILED
        var start: Date
        var wait: Int
        var billsec: Int
        var trunk: String
        var sequence: Int
        var record: String? = nil
        var originatedID: String? = nil
    }

    /// `12:03:07` for 43,387 s.
    static func hhmmss(_ seconds: Int) -> String {
        String(format: "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// Every key of the documented row, in its order: `start`, `starttime`, `endtime` Jalali,
    /// `answer` Gregorian (or `""` when nobody answered), the route's steps as extended-JSON dates.
    func cdrRow(_ c: CallRecord) -> JSONValue {
        let answered = c.disposition == "ANSWERED"
        let duration = c.wait + c.billsec
        let incoming = c.type == "incoming"
        let channel = "SIP/\(incoming ? c.trunk : c.src)-\(String(format: "%08x", c.sequence))"
        var row: [(String, JSONValue)] = [
            ("_id", .string(store.newID())), ("type", .string(c.type)), ("cuid", .string(c.cuid)),
            ("clid", .string("\"\" <\(c.src)>")), ("src", .string(c.src)), ("dst", .string(c.dst)),
            ("dcontext", .string(incoming ? "incoming" : "main_routing")), ("channel", .string(channel)),
            (
                "dstchannel",
                .string(
                    answered
                        ? "SIP/\(c.type == "outgoing" ? c.trunk : c.dst)-\(String(format: "%08x", c.sequence + 1))" : ""
                )
            ),
            ("lastapp", .string(answered ? "Dial" : "Hangup")), ("lastdata", .string("")),
            ("start", .string(SimotelDates.jalali(c.start))),
            (
                "answer",
                .string(answered ? SimotelDates.gregorian(c.start.addingTimeInterval(Double(c.wait))) : "")
            ),
            ("duration", .number(Double(duration))), ("billsec", .number(Double(c.billsec))),
            ("disposition", .string(c.disposition)), ("amaflags", .string("DOCUMENTATION")),
            ("accountcode", .string("")), ("uniqueid", .string(c.cuid)), ("userfield", .string("")),
            ("sequence", .string(String(c.sequence))),
            ("comment", .string(c.originatedID.map { "originated call: \($0)" } ?? "")), ("v", .number(2)),
        ]
        row += incoming ? [("did", .string(c.dst)), ("entry_point", .string(c.trunk))] : []
        row += c.type == "outgoing" ? [("outgoing_point", .string(c.trunk))] : []
        if let id = c.originatedID { row.append(("originated_call_id", .string(id))) }
        if let record = c.record { row.append(("record", .string(record))) }
        row += [
            (
                "route",
                .array([
                    .object([
                        ("type", .string(incoming ? "IncomingRoute" : "OutgoingRoute")),
                        ("name", .string(incoming ? "Incoming Route" : "Outgoing Route")),
                        ("duration", .number(0.01)), ("date", SimotelDates.extended(c.start)),
                    ])
                ])
            ),
            ("wait", .number(Double(c.wait))), ("starttime", .string(SimotelDates.jalali(c.start))),
            ("endtime", .string(SimotelDates.jalali(c.start.addingTimeInterval(Double(duration))))),
            (c.disposition, .number(1)), (c.type, .number(1)),
            ("billsec_hhmmss", .string(Self.hhmmss(c.billsec))), ("wait_hhmmss", .string(Self.hhmmss(c.wait))),
            ("duration_hhmmss", .string(Self.hhmmss(duration))),
        ]
        return .object(row)
    }
}
