extension EndpointCatalog {
    static let campaignFields: [FieldSpec] = [
        F.s("name", .required, "test"),
        F.s("trunk_manager_id", .required, "5f6c5b56c92de0068f32e592", [], "_id from autodialer trunks search"),
        F.s("interface_context", .optional, "auto"), F.s("interface_text", .optional, "text1"),
        F.strings("numbers", .logical, ["09212396500"]),
        F.strings("groups", .logical, ["5e96c8c2c92de0468920657e", "5e96d40cc92de025690d0a61"], "group _ids"),
        F.s("try_interval", .logical, "600", [], "seconds between retries"), F.s("try", .logical, "1", [], "attempts"),
        F.s("start", .logical, "2021-02-19 15:17"), F.s("end", .logical, "2021-02-23 15:17"),
        F.s("announcement", .logical, "5e5b629ec92de075df7af457", [], "autodialer announcement _id"),
        F.s("description", .optional, ""),
        FieldSpec("count", .number, .optional, sample: .number(3), help: "sent by every sample; meaning undocumented"),
    ]

    static let autodialer: [EndpointSpec] = [
        EndpointSpec(
            ["autodialer", "contacts", "add"], "autodialer/contacts/add", summary: "Add a contact",
            fields: [
                F.s("name", .required, "test_contact"), F.s("number", .required, "112233"),
                F.s("description", .optional, "Just for test"),
            ]),
        EndpointSpec(
            ["autodialer", "contacts", "search"], "autodialer/contacts/search", paging: .pages,
            summary: "Find contacts",
            fields: [
                F.alike(), F.s("conditions.name", .optional, ""), F.s("conditions.number", .optional, ""),
                F.s("conditions.description", .optional, ""),
            ] + F.pagination),
        EndpointSpec(
            ["autodialer", "contacts", "update"], "autodialer/contacts/update", summary: "Edit a contact",
            fields: [
                F.id("60461561095d840c2e477098"), F.s("name", .optional, "test_contact_new"),
                F.s("number", .optional, "11223"),
                F.s("description", .optional, ""),
            ]),
        EndpointSpec(
            ["autodialer", "contacts", "remove"], "autodialer/contacts/remove", destructive: true,
            summary: "Delete a contact",
            fields: [F.id()]),
        EndpointSpec(
            ["autodialer", "groups", "upload"], "autodialer/groups/upload", body: .upload,
            summary: "Upload a CSV of numbers", fields: []),
        EndpointSpec(
            ["autodialer", "groups", "add"], "autodialer/groups/add",
            summary: "Create a group (numbers or an uploaded file)",
            fields: [
                F.s("name", .required, "test_group"), F.strings("numbers", .logical, ["1111", "2222", "3333"]),
                F.unsampled("filename", .optional, "the name upload returned, instead of numbers"),
                F.s("description", .optional, "just for test"),
            ]),
        EndpointSpec(
            ["autodialer", "groups", "search"], "autodialer/groups/search", paging: .pages, summary: "Find groups",
            fields: [F.alike(), F.s("conditions.name", .optional, ""), F.s("conditions.description", .optional, "")]
                + F.pagination),
        EndpointSpec(
            ["autodialer", "groups", "update"], "autodialer/groups/update", summary: "Edit a group",
            fields: [
                F.id(), F.s("name", .logical, "test_group_new"),
                F.strings("numbers", .logical, ["1111", "2222", "3333"]),
                F.s("description", .optional, "just for test"),
            ]),
        EndpointSpec(
            ["autodialer", "groups", "remove"], "autodialer/groups/remove", destructive: true,
            summary: "Delete a group",
            fields: [F.id()]),
        EndpointSpec(
            ["autodialer", "campaigns", "add"], "autodialer/campaigns/add", summary: "Create a campaign",
            fields: campaignFields),
        EndpointSpec(
            ["autodialer", "campaigns", "search"], "autodialer/campaigns/search", paging: .pages,
            summary: "Find campaigns",
            fields: [
                F.alike(), F.s("conditions.name", .optional, "test"), F.s("conditions.description", .optional, ""),
                F.s("conditions.status", .optional, ""),
            ] + F.pagination),
        EndpointSpec(
            ["autodialer", "campaigns", "update"], "autodialer/campaigns/update", summary: "Edit a campaign",
            fields: F.forUpdate(
                campaignFields.filter { $0.name != "numbers" && $0.name != "groups" }, id: "6048aa14095d8438aa64e7c9")),
        EndpointSpec(
            ["autodialer", "campaigns", "remove"], "autodialer/campaigns/remove", destructive: true,
            summary: "Delete a campaign",
            fields: [F.id()]),
        EndpointSpec(
            ["autodialer", "announcements", "upload"], "autodialer/announcements/upload", body: .upload,
            summary: "Upload campaign audio", fields: []),
        EndpointSpec(
            ["autodialer", "announcements", "add"], "autodialer/announcements/add", summary: "Register campaign audio",
            fields: [
                F.s("name", .required, "test_sound"),
                F.s("filename", .required, "file-20200825065434-58826-bbc-farsi-pargarmp3_.wav"),
                F.s("description", .optional, "Just for test"),
            ]),
        EndpointSpec(
            ["autodialer", "announcements", "search"], "autodialer/announcements/search",
            summary: "Find campaign audio",
            fields: [F.alike(), F.s("conditions.name", .optional, "")]),
        EndpointSpec(
            ["autodialer", "announcements", "update"], "autodialer/announcements/update",
            summary: "Edit campaign audio",
            fields: [
                F.id(), F.s("name", .logical, "test_sound"), F.s("filename", .logical, ""),
                F.s("description", .optional, ""),
            ]),
        EndpointSpec(
            ["autodialer", "announcements", "remove"], "autodialer/announcements/remove", destructive: true,
            summary: "Delete campaign audio", fields: [F.id()]),
        EndpointSpec(
            ["autodialer", "trunks", "search"], "autodialer/trunks/search", summary: "Find trunk managers",
            fields: [F.alike(), F.s("conditions.title", .optional, "autodialer")]),
        EndpointSpec(
            ["autodialer", "trunks", "update"], "autodialer/trunks/update", summary: "Edit a trunk manager",
            fields: [
                F.id("5ec63107ce4f6d12c43e250f"), F.s("title", .logical, "autodialer1"),
                F.s("status", .logical, "active", ["active", "inactive"]), F.s("wait_cache_length", .logical, "100"),
                F.s("capacity", .logical, "50"), F.s("dial_interval", .logical, "1"),
            ]),
        EndpointSpec(
            ["autodialer", "reports", "search"], "autodialer/reports/search", paging: .pages,
            summary: "Campaign call results",
            fields: [F.alike()] + F.pagination + F.dateRange(.optional, "2020-12-26 15:29", "2022-12-28 15:29") + [
                F.s("conditions.disposition", .optional, ""),
                F.s("conditions.campaign_id", .optional, "60c74cec7d2c21279a295b4e"),
                F.s("conditions.number", .optional, "09376131239"),
            ]),
        EndpointSpec(
            ["autodialer", "reports", "ordered"], "autodialer/reports/ordered/id", paging: .cursor,
            summary: "Campaign call results, 20 at a time", fields: cursor),
        EndpointSpec(
            ["autodialer", "reports", "info"], "autodialer/reports/info", summary: "Details of one campaign call",
            fields: [F.s("_id", .required, "602e50ce305bdd377168a8c1", [], "a tries[].cdr_id from the search")]),
    ]
}
