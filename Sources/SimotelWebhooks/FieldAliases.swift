import SimotelKit

/// Field names that mean the same thing in different pages of Simotel's docs (webhooks.md §2.5,
/// §5): each group is one field, spelt as its doc table or as its sample payload says. Reading a
/// field by any of its names finds it under whichever name the event carries.
public enum FieldAliases {
    /// One group per field; the first name is the one the samples (and Simotel) send.
    public static let groups: [[String]] = [
        ["unique_id", "cuid"],  // every table says cuid, every sample sends unique_id
        ["starttime", "start_time"],  // Cdr: sample / table
        ["endtime", "end_time"],  // Cdr: sample / table
        ["transferer", "transfer"],  // Transfer: sample / table
        ["dialer", "dialing"],  // NewState: the table's name / what its text describes
        ["poll_lable", "poll_label"],  // Cdr: the docs' (and Simotel's) misspelling / the word
    ]

    /// The other names of `name` (empty when it has none), in the order they are tried.
    public static func others(of name: String) -> [String] {
        byName[name] ?? []
    }

    /// `name`'s value in an object, else the value of one of its other names.
    public static func value(_ name: String, in object: JSONValue) -> JSONValue? {
        if let v = object[name] { return v }
        for other in others(of: name) {
            if let v = object[other] { return v }
        }
        return nil
    }

    /// Each name to the other names of its group.
    static let byName: [String: [String]] = {
        var table: [String: [String]] = [:]
        for group in groups {
            for name in group { table[name] = group.filter { $0 != name } }
        }
        return table
    }()
}
