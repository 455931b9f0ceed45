extension EndpointCatalog {
    static func reportSearch(
        _ conditions: [FieldSpec], from: String = "2020-06-15 15:16", to: String = "2022-06-22 15:16"
    )
        -> [FieldSpec]
    {
        conditions + F.dateRange(.required, from, to) + F.pagination + [F.alike()]
    }

    static let cdrConditions: [FieldSpec] = [
        F.s("conditions.from", .optional, "", [], "source number"),
        F.s("conditions.to", .optional, "", [], "destination"),
        F.s("conditions.cuid", .optional, "", [], "call unique id"),
    ]

    static let cursor = [F.s("_id", .optional, "", [], "last_id of the previous answer; empty for the first records")]

    static let reports: [EndpointSpec] = [
        EndpointSpec(
            ["reports", "quick"], "reports/quick/search", paging: .pages, summary: "Quick CDR search",
            fields: reportSearch(cdrConditions)),
        EndpointSpec(
            ["reports", "quick-legacy"], "reports/cdr", paging: .pages,
            summary: "Quick CDR search at the reports/cdr path most samples use", fields: reportSearch(cdrConditions)),
        EndpointSpec(
            ["reports", "quick-info"], "reports/quick/info", summary: "Queue detail rows of one call",
            fields: [F.s("cuid", .required, "1624299033.75565")]),
        EndpointSpec(
            ["reports", "audio", "download"], "reports/audio/download", body: .download,
            summary: "Download a recording or voicemail audio",
            fields: [
                F.s(
                    "file", .required, "20200921_1600675211.10033.1.mp3", [],
                    "record or filename from a report or event")
            ]),
        EndpointSpec(
            ["reports", "cdr"], "reports/cdr/search", paging: .pages, summary: "CDR search",
            fields: reportSearch(cdrConditions)),
        EndpointSpec(
            ["reports", "cdr-ordered"], "reports/cdr/ordered/id", paging: .cursor, summary: "CDR records, 20 at a time",
            fields: cursor),
        EndpointSpec(
            ["reports", "queue"], "reports/queue/search", paging: .pages, summary: "Queue statistics",
            fields: reportSearch(cdrConditions + [F.s("conditions.qnum", .optional, "901", [], "queue number")])),
        EndpointSpec(
            ["reports", "queue-ordered"], "reports/queue/ordered/id", paging: .cursor,
            summary: "Queue statistics, 20 at a time", fields: cursor),
        EndpointSpec(
            ["reports", "queue-details"], "reports/queue_details/search", paging: .pages, summary: "Queue call details",
            fields: reportSearch(
                cdrConditions + [
                    F.s("conditions.queue", .optional, "901", [], "queue number"),
                    F.s("conditions.queue_id", .optional, ""),
                ])),
        EndpointSpec(
            ["reports", "queue-details-ordered"], "reports/queue_details/ordered/id", paging: .cursor,
            summary: "Queue call details, 20 at a time", fields: cursor),
        EndpointSpec(
            ["reports", "agent"], "reports/agent/search", paging: .pages, summary: "Agent activity",
            fields: reportSearch(
                [
                    F.s("conditions.from", .optional, ""), F.s("conditions.to", .optional, ""),
                    F.s("conditions.exten", .optional, "550", [], "operator extension"),
                    F.s("conditions.queue", .optional, "903"),
                ], from: "2019-06-15 15:16")),
        EndpointSpec(
            ["reports", "poll"], "reports/poll/search", paging: .pages, summary: "Survey results",
            fields: reportSearch(
                [
                    F.s("conditions.from", .optional, "09121234567"), F.s("conditions.to", .optional, "555"),
                    F.s("conditions.label", .optional, "sale"), F.s("conditions.queue", .optional, "900"),
                    F.s("conditions.cuid", .optional, ""),
                ], from: "2019-06-15 15:16")),
    ]
}
