/// Building blocks of the catalog rows, so that each row reads like its table in api-v4.md.
extension FieldSpec {
    static let yesNo = ["yes", "no"]

    /// A string field.
    static func s(_ name: String, _ need: Need, _ sample: String, _ allowed: [String] = [], _ help: String = "")
        -> FieldSpec
    {
        FieldSpec(name, .string, need, allowed: allowed, sample: .string(sample), help: help)
    }

    /// A string field the samples leave out.
    static func unsampled(_ name: String, _ need: Need, _ help: String = "") -> FieldSpec {
        FieldSpec(name, .string, need, sample: nil, help: help)
    }

    /// A yes/no flag sent as a string.
    static func yn(_ name: String, _ sample: String, _ need: Need = .logical) -> FieldSpec {
        FieldSpec(name, .string, need, allowed: yesNo, sample: .string(sample))
    }

    static func strings(_ name: String, _ need: Need, _ sample: [String], _ help: String = "") -> FieldSpec {
        FieldSpec(name, .array, need, sample: .array(sample.map(JSONValue.string)), help: help)
    }

    static func id(_ sample: String = "6033876dc92de036d1390923") -> FieldSpec {
        s("_id", .required, sample, [], "record id (24 hex digits, from a search)")
    }

    /// `alike`, sent as the string "true" in most samples (api-v4.md §7.1).
    static func alike(_ sample: String = "true") -> FieldSpec {
        s("alike", .required, sample, ["true", "false"], "match condition values by similarity")
    }

    static let pagination: [FieldSpec] = [
        FieldSpec("pagination.start", .number, .optional, sample: .number(0), help: "index of the first record"),
        FieldSpec("pagination.count", .number, .optional, sample: .number(20), help: "how many records"),
        FieldSpec(
            "pagination.sorting", .object, .optional, sample: .object([]), help: #"{"field": 1} or {"field": -1}"#),
    ]

    static func dateRange(_ need: Need, _ from: String, _ to: String) -> [FieldSpec] {
        [
            s("date_range.from", need, from, [], "YYYY-MM-DD HH:MM (Gregorian)"),
            s("date_range.to", need, to, [], "YYYY-MM-DD HH:MM (Gregorian)"),
        ]
    }

    /// Turns a list of add fields into update fields: `_id` first, the rest "logical" unless optional.
    static func forUpdate(_ fields: [FieldSpec], id: String = "6033876dc92de036d1390923") -> [FieldSpec] {
        [Self.id(id)]
            + fields.map { f in
                var u = f
                if u.need == .required { u.need = .logical }
                return u
            }
    }
}
