extension EndpointCatalog {
    static let voicemailFields: [FieldSpec] = [
        F.s("name", .required, "test voicemail"), F.s("number", .required, "999"),
        F.s("password", .required, "999", [], "PIN"),
        F.s("email", .optional, ""), F.yn("required_password", "no"), F.yn("allow_change_password", "no"),
        F.yn("send_email", "no"), F.yn("attach_file_email", "no"), F.yn("play_busy", "no"),
        F.yn("play_unavailable", "no"),
        F.yn("play_welcome", "no"), F.yn("Play_CID", "no"), F.yn("Play_Envelope", "no"), F.yn("Delete_Voicemail", "no"),
        F.s("more_options", .logical, ""),
    ]

    static let voicemail: [EndpointSpec] = [
        EndpointSpec(
            ["voicemails", "add"], "voicemails/voicemails/add", summary: "Create a voicemail box",
            fields: voicemailFields),
        EndpointSpec(
            ["voicemails", "search"], "voicemails/voicemails/search", summary: "Find voicemail boxes",
            fields: [
                F.alike(), F.s("conditions.name", .optional, "test voicemail"), F.s("conditions.number", .optional, ""),
            ]),
        EndpointSpec(
            ["voicemails", "update"], "voicemails/voicemails/update", summary: "Edit a voicemail box",
            fields: F.forUpdate(voicemailFields)),
        EndpointSpec(
            ["voicemails", "remove"], "voicemails/voicemails/remove", destructive: true,
            summary: "Delete a voicemail box",
            fields: [F.id()]),
        EndpointSpec(
            ["inbox", "search"], "voicemails/inbox/search", paging: .pages, summary: "List voicemail messages",
            fields: [F.alike()] + F.pagination + F.dateRange(.optional, "2020-12-25 13:53", "2022-12-27 13:53")
                + [F.s("conditions.src", .optional, ""), F.s("conditions.number", .optional, "400")]),
    ]

    static let lists: [EndpointSpec] = [
        EndpointSpec(
            ["blacklist", "add"], "pbx/blacklists/add", summary: "Block a number",
            fields: [F.s("number", .required, "557"), F.s("comment", .optional, "")]),
        EndpointSpec(
            ["blacklist", "search"], "pbx/blacklists/search", summary: "Find blocked numbers",
            fields: [F.alike(), F.s("conditions.number", .optional, "557"), F.s("conditions.name", .optional, "")]),
        EndpointSpec(
            ["blacklist", "update"], "pbx/blacklists/update", summary: "Edit a blacklist entry",
            fields: [F.id(), F.s("number", .logical, "999"), F.s("comment", .optional, "")]),
        EndpointSpec(
            ["blacklist", "remove"], "pbx/blacklists/remove", destructive: true, summary: "Unblock a number",
            fields: [F.id()]),
        EndpointSpec(
            ["whitelist", "add"], "pbx/whitelists/add", summary: "Whitelist a number",
            fields: [
                F.s("number", .required, "557"), F.strings("labels", .logical, ["test"]), F.s("comment", .optional, ""),
            ]),
        EndpointSpec(
            ["whitelist", "search"], "pbx/whitelists/search", summary: "Find whitelist entries",
            fields: [F.alike(), F.s("conditions.number", .optional, "")]),
        EndpointSpec(
            ["whitelist", "update"], "pbx/whitelists/update", summary: "Edit a whitelist entry",
            fields: [
                F.id(), F.s("number", .logical, "555"), F.strings("labels", .logical, ["ext_test"]),
                F.s("comment", .optional, ""),
            ]),
        EndpointSpec(
            ["whitelist", "remove"], "pbx/whitelists/remove", destructive: true, summary: "Remove a whitelist entry",
            fields: [F.id()]),
    ]

    static let faxes: [EndpointSpec] = [
        EndpointSpec(
            ["faxes", "upload"], "pbx/faxes/upload", body: .upload, summary: "Upload a fax document", fields: []),
        EndpointSpec(
            ["faxes", "add"], "pbx/faxes/add", summary: "Send a fax",
            fields: [
                F.s("sender_id", .logical, "username1"), F.s("to", .logical, "112233", [], "destination number"),
                F.s("ext", .logical, "558"), F.s("trunk_name", .logical, "Cisco"),
                F.s("file", .logical, "file-20200624051520-61681-fax-test", [], "the name upload returned (omit text)"),
                F.unsampled("text", .optional, "plain text instead of a file"),
                F.s("description", .optional, "Just for test"),
            ]),
        EndpointSpec(
            ["faxes", "search"], "pbx/faxes/search", paging: .pages, summary: "Find faxes",
            fields: [F.alike()] + F.pagination + F.dateRange(.optional, "2020-12-25 13:20", "2023-12-27 13:47")
                + [
                    F.s("conditions.src", .optional, ""), F.s("conditions.dst", .optional, ""),
                    F.s("conditions.status", .optional, ""), F.s("conditions.type", .optional, ""),
                ]),
        EndpointSpec(
            ["faxes", "download"], "pbx/faxes/download", body: .download, summary: "Download a fax file",
            fields: [F.id("5fe7b083b6e91a5ef2bbf7bb")]),
    ]
}
