import Foundation
import SimotelKit

/// The 19 event webhooks of webhooks.md §3: exact names, the fields a person wants first, and
/// the documented sample payload (normalised to JSON) that `simulate event` sends.
public struct EventKind: Sendable {
    public var name: String
    public var keyFields: [String]
    public var sample: JSONValue
    public var summary: String
}

public enum EventCatalog {
    static func s(_ v: String) -> JSONValue { .string(v) }
    static func n(_ v: Double) -> JSONValue { .number(v) }

    public static let all: [EventKind] = [
        EventKind(
            name: "Ping", keyFields: [], sample: .object([("event_name", s("Ping"))]),
            summary: "after setting/ping/act, if the Ping event is ticked"),
        EventKind(
            name: "NewState", keyFields: ["exten", "state", "participant", "direction", "queue", "unique_id"],
            sample: .object([
                ("event_name", s("NewState")), ("exten", s("991")), ("state", s("InUse")), ("participant", s("992")),
                ("direction", s("out")), ("queue", s("902")), ("unique_id", s("1610778625.386")),
            ]), summary: "an extension's state changes"),
        EventKind(
            name: "ExtenAdded", keyFields: ["exten", "state"],
            sample: .object([("event_name", s("ExtenAdded")), ("exten", s("77777")), ("state", s("Unavailable"))]),
            summary: "an extension is created"),
        EventKind(
            name: "ExtenRemoved", keyFields: ["exten", "number", "state"],
            sample: .object([("event_name", s("ExtenRemoved")), ("exten", s("77777")), ("state", s("Unavailable"))]),
            summary: "an extension is deleted"),
        EventKind(
            name: "IncomingCall", keyFields: ["number", "entry_point", "unique_id", "originated_call_id"],
            sample: .object([
                ("event_name", s("IncomingCall")), ("number", s("09331112233")), ("unique_id", s("1812081675.213")),
                ("entry_point", s("to_simo_51_20")),
            ]), summary: "a call enters the PBX"),
        EventKind(
            name: "OutgoingCall",
            keyFields: ["number", "outgoing_point", "entry_point", "unique_id", "originated_call_id"],
            sample: .object([
                ("event_name", s("OutgoingCall")), ("number", s("999")), ("unique_id", s("1610781425.388")),
                ("outgoing_point", s("to_simo_51_20")),
            ]), summary: "a call leaves the PBX"),
        EventKind(
            name: "Transfer", keyFields: ["transferer", "transferred_from", "transferred_to", "unique_id"],
            sample: .object([
                ("event_name", s("Transfer")), ("unique_id", s("1613906376.30")), ("transferer", s("993")),
                ("transferred_from", s("991")), ("transferred_to", s("993")),
            ]), summary: "a user transfers an active call"),
        EventKind(
            name: "IncomingFax", keyFields: ["src", "dst", "state", "fax_id", "unique_id"],
            sample: .object([
                ("fax_id", s("5f6f162b8a315630478f6ca0")), ("entry_point", s("mikrotik")),
                ("unique_id", s("1601115566.160597")), ("date", s("2020-09-26 10:21:31.789362")),
                (
                    "description",
                    .object([
                        ("REMOTESTATIONID", s("unknown")), ("FAXRESOLUTION", s("8031x3850")),
                        ("FAXBITRATE", s("14400")),
                        ("FAXERROR", s("None")), ("FAXSTATUS", s("SUCCESS")), ("FAXPAGES", s("1")),
                        ("FAXSTATUSSTRING", s("OK")),
                    ])
                ),
                ("event_name", s("IncomingFax")), ("src", s("02191015504")), ("state", s("SUCCESS")),
                ("dst", s("2191015504")),
            ]), summary: "a fax is received"),
        EventKind(
            name: "OutgoingFax", keyFields: ["state", "fax_id", "unique_id"],
            sample: .object([
                ("fax_id", s("5f6f15ae8a31561ac504094a")), ("event_name", s("OutgoingFax")), ("state", s("SENDING")),
                ("unique_id", s("1601115566.160596")),
                (
                    "info",
                    .object([
                        ("FAXSTATUS", s("FAILED")), ("FAXSTATUSSTRING", s("error starting fax session")),
                        ("FAXERROR", s("INIT_ERROR")), ("REMOTESTATIONID", .null), ("FAXPAGES", s("0")),
                        ("FAXBITRATE", .null), ("FAXRESOLUTION", .null), ("REASON", s("")),
                    ])
                ),
                ("date", s("2020-11-11 06:31:23.232477")),
            ]), summary: "a fax is sent (status updates)"),
        EventKind(
            name: "CdrQueue", keyFields: ["queue", "src", "dst", "disposition", "billsec", "wait", "unique_id"],
            sample: .object([
                ("event_name", s("CdrQueue")), ("unique_id", s("1610782193.391")), ("src", s("992")), ("dst", s("993")),
                ("queue", s("902")), ("billsec", s("31")), ("wait", s("3")), ("duration", s("34")),
                ("agent_wait", s("3")), ("disposition", s("ANSWERED")), ("hangup", s("agent")),
                ("queue_status", s("CONTINUE")), ("record", s("20210116_1610782193.391.mp3")),
                ("answeredtime", s("2021-01-16 07:29:56.819506")), ("ringtime", s("2021-01-16 07:29:53.382906")),
                ("starttime", s("2021-01-16 07:29:53.310319")), ("endtime", s("2021-01-16 07:30:28.794906")),
                (
                    "detail",
                    .array([
                        .object([
                            ("src", s("992")), ("dst", s("993")), ("billsec", s("31")), ("wait", s("3")),
                            ("disposition", s("ANSWERED")), ("comment", s("")), ("tries", s("1")),
                        ])
                    ])
                ),
            ]), summary: "a queue caller is connected to an operator"),
        EventKind(
            name: "VoiceMail", keyFields: ["number", "state", "caller", "duration", "filename", "message"],
            sample: .object([
                ("event_name", s("VoiceMail")), ("id", s("5fedc3b31b05af9835bbcfdd")), ("number", s("5555")),
                ("state", s("SUCCESS")), ("date", s("2020-12-31 12:27:31.752195")),
                ("filename", s("5555_1609417639-vm-record-file-8766.wav")), ("duration", s("1")), ("caller", s("992")),
            ]), summary: "a voicemail message is stored (or fails)"),
        EventKind(
            name: "VoiceMailEmail", keyFields: ["number", "state", "receiver", "message"],
            sample: .object([
                ("event_name", s("VoiceMailEmail")), ("id", s("5fedc3b31b05af9835bbcfdd")), ("number", s("5555")),
                ("state", s("SUCCESS")), ("date", s("2020-12-31 12:27:38.290333")), ("receiver", s("sample@gmail.com")),
                ("active", s("True")), ("attached_file", s("False")),
            ]), summary: "the voicemail e-mail was sent or failed"),
        EventKind(
            name: "Survey", keyFields: ["label", "point", "src", "dst", "queue", "unique_id"],
            sample: .object([
                ("event", s("Survey")), ("unique_id", s("1610178448.217")), ("src", s("991")), ("dst", s("993")),
                ("queue", s("902")), ("date", s("2021-01-09 07:47:45.483185")), ("point", n(5)),
                ("label", s("MySurvey")),
            ]), summary: "a caller rates in a poll component"),
        EventKind(
            name: "Cdr",
            keyFields: ["src", "dst", "type", "disposition", "billsec", "unique_id", "originated_call_id"],
            sample: .object([
                ("event_name", s("Cdr")), ("starttime", s("2021-01-16 06:30:37.471398")),
                ("endtime", s("2021-01-16 06:30:37.471398")), ("src", s("991")), ("dst", s("993")),
                ("type", s("local")),
                ("disposition", s("ANSWERED")), ("billsec", n(9)), ("wait", n(11)),
                ("record", s("20210116_1610778618.378.mp3")), ("unique_id", s("1610778618.378")),
            ]), summary: "a call ends (call detail record)"),
        EventKind(
            name: "TrunkNewState", keyFields: ["trunk_name", "state", "trunk_type"],
            sample: .object([
                ("event_name", s("TrunkNewState")), ("state", s("Ok")), ("last_time", s("1675683148.9228208")),
                ("trunk_name", s("SimotelTrunk")), ("trunk_type", s("SIP")), ("last_time_sec", s("0")),
                ("date", s("1675683148.9241338")),
            ]), summary: "a trunk's status changes"),
        EventKind(
            name: "TrunkAdded", keyFields: ["trunk_name", "state", "trunk_type"],
            sample: .object([
                ("event_name", s("TrunkAdded")), ("state", s("Unavailable")), ("last_time", s("1675683094.9277713")),
                ("trunk_name", s("SimotelTrunk")), ("trunk_type", s("SIP")), ("last_time_sec", s("0")),
                ("date", s("1675683094.9284356")),
            ]), summary: "a trunk is created"),
        EventKind(
            name: "TrunkRemoved", keyFields: ["trunk_name"],
            sample: .object([
                ("event_name", s("TrunkRemoved")), ("trunk_name", s("SimotelTrunk")), ("date", s("1675682139.0859237")),
            ]), summary: "a trunk is deleted"),
        EventKind(
            name: "AutoDialerReport", keyFields: ["campaign", "number", "disposition", "try", "billsec"],
            sample: .object([
                ("start", s("2023-02-07 19:09:34.201000")), ("end", s("2023-02-10 19:09:00")),
                ("campaign_id", s("63e24b3e3ba6c708b7612152")), ("campaign", s("test12")),
                ("interface_context", s("1111")), ("interface_text", s("2222")), ("number", s("09153012312")),
                ("disposition", s("ANSWERED")), ("try", n(1)), ("repeat", n(27)), ("billsec", n(5)), ("wait", n(2)),
                (
                    "tries",
                    .array([
                        .object([
                            ("cdr_id", s("63e2a1f743a08d4ed9966fdb")), ("cause", s("16")),
                            ("cause-txt", s("Normal Clearing")),
                            ("starttime", s("2023-02-07 10:39:34")), ("disposition", s("ANSWERED")), ("wait", n(2)),
                        ])
                    ])
                ),
            ]), summary: "an autodialer (bulk) call finishes"),
        EventKind(
            name: "ReservedCallInFront", keyFields: ["queue_name", "caller_id"],
            sample: .object([
                ("event_name", s("ReservedCallInFront")), ("event", s("ReservedCallInFront")),
                ("queue_name", s("1010")),
                ("caller_id", s("09123456789")), ("date", s("2025-03-11 13:10:12.712188")),
            ]), summary: "a call enters a queue with call reservation"),
    ]

    /// The event of that name, matched case-insensitively (`cdr`, `CDR` and `Cdr` are one event).
    public static func kind(named name: String) -> EventKind? {
        byName[name] ?? byLowercasedName[name.lowercased()]
    }

    /// As Simotel spells them: the usual lookup, without lower-casing.
    static let byName: [String: EventKind] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    static let byLowercasedName: [String: EventKind] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.name.lowercased(), $0) })

    /// Field names that mean the same thing in different pages of the docs (webhooks.md §2.5, §5):
    /// each name to its other names (`FieldAliases`).
    public static var aliases: [String: [String]] { FieldAliases.byName }
}
