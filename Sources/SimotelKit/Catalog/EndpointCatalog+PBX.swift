extension EndpointCatalog {
    typealias F = FieldSpec

    static let setting: [EndpointSpec] = [
        EndpointSpec(
            ["ping"], "setting/ping/act", method: "PUT", summary: "Check the connection and credentials", fields: []),
        EndpointSpec(
            ["originate"], "call/originate/act", destructive: true,
            summary: "Ring the caller, then the callee, and bridge them (two-way call)",
            fields: [
                F.s("caller", .required, "557", [], "first party, rung first"),
                F.s("callee", .required, "552", [], "second party"),
                F.s("context", .required, "main_routing", [], "route to the callee (an Outgoing Route context)"),
                F.s("caller_id", .required, "557", [], "caller id to present"),
                F.s("trunk_name", .logical, "cisco", [], "trunk to reach an external caller"),
                F.s("timeout", .optional, "30", [], "seconds to wait for an answer"),
                F.s("call_limit", .optional, "30", [], "maximum call duration in seconds"),
            ]),
    ]

    /// The Asterisk SIP peer options users and trunks share (api-v4.md §8.3.1, §8.4.1), in the samples' order.
    static func sipPeer(context: String, host: String, type: String, nat: String, qualify: String) -> [FieldSpec] {
        [
            F.s("deny", .logical, "0.0.0.0/0.0.0.0"),
            F.s("permit", .logical, "0.0.0.0/0.0.0.0"),
            F.s("dtmfmode", .logical, "rfc2833"),
            F.yn("canreinvite", "no"),
            F.yn("directmedia", "no"),
            F.s("context", .logical, context),
            F.s("host", .logical, host),
            F.s("type", .logical, type, ["user", "peer", "friend"]),
            F.s("nat", .logical, nat, ["yes", "no", "force_rport,comedia"]),
            F.s("port", .logical, "5060"),
            F.yn("qualify", qualify),
        ]
    }

    static let userFields: [FieldSpec] =
        [
            F.s("user_type", .logical, "SIP", ["SIP", "IAX2"]),
            F.yn("active", "yes"),
            F.s("name", .required, "User2", [], "display name"),
            F.s("number", .required, "999", [], "extension number"),
            F.s("cid_number", .logical, "999"),
            F.s("secret", .required, "999", [], "registration password"),
            F.yn("call_record", "no"),
            F.yn("push_notification", "no"),
        ] + sipPeer(context: "main_routing", host: "dynamic", type: "user", nat: "no", qualify: "no") + [
            F.s("callgroup", .logical, "1"),
            F.s("pickupgroup", .logical, "1"),
            F.yn("callcounter", "no"),
            F.yn("faxdetect", "no"),
            F.s("call_limit", .logical, ""),
            F.yn("trunk", "no"),
            F.yn("transfer", "no"),
            F.s("email", .optional, ""),
            F.s("forward_policy.Busy", .optional, "571"),
            F.s("forward_policy.No Answer", .optional, "09158315762"),
            F.s("forward_policy.UnAvailable", .optional, "570"),
            F.s("forward_policy.All", .optional, "2121"),
            F.s("more_options", .optional, ""),
        ]

    static let trunkFields: [FieldSpec] =
        [
            F.s("trunk_type", .logical, "SIP", ["SIP", "IAX2", "DAHDI"]),
            F.s("name", .required, "trunk_name_new"),
            F.s("register_string", .logical, "3591011020:as#3591011020@192.168.1.10/3591011020"),
            F.yn("active", "no"),
        ]
        + sipPeer(
            context: "from-pstn", host: "192.168.1.10", type: "friend", nat: "force_rport,comedia", qualify: "yes") + [
            F.s("insecure", .logical, "port,invite", ["port", "invite", "port,invite"]),
            F.s("disallow", .logical, "all"),
            F.s("allow", .logical, "ulaw,alaw"),
            F.s("more_options", .optional, "fromuser=3591011020\nusername=3591011020\nsecret=as#3591011020"),
            F.s("description", .optional, ""),
        ]

    static let queueFields: [FieldSpec] = [
        F.s("name", .required, "NasimTelecom"),
        F.s("number", .required, "9009"),
        F.s(
            "strategy", .logical, "ringall",
            ["ringall", "leastrecent", "fewestcalls", "random", "rrmemory", "rrordered", "linear", "wrandom"]),
        F.yn("ringinuse", "no"), F.yn("call_record", "yes"), F.yn("setinterfacevar", "yes"), F.yn("autofill", "yes"),
        F.yn("setqueuevar", "yes"), F.yn("setqueueentryvar", "yes"), F.yn("persistentmembers", "no"),
        F.yn("shared_lastcall", "no"), F.yn("announce_holdtime", "no"), F.yn("announce_position", "yes"),
        F.s("joinempty", .logical, "strict", ["yes", "no", "strict"]),
        F.yn("leavewhenempty", "yes"), F.yn("reportholdtime", "no"),
        F.s("maxlen", .logical, "0"), F.s("announce_frequency", .logical, "120"),
        F.s("min_announce_frequency", .logical, "60"), F.s("periodic_announce_frequency", .logical, "120"),
        F.s("music", .logical, "gole orkideh"), F.s("queue_callswaiting", .logical, "queue-callswaiting"),
        F.s("queue_thankyou", .logical, "queue-thankyou"), F.s("queue_thereare", .logical, "queue-thereare"),
        F.s("queue_youarenext", .logical, "queue-youarenext"), F.s("retry", .logical, "5"),
        F.s("servicelevel", .logical, "60"), F.s("timeout", .logical, "30"), F.s("weight", .logical, "10"),
        F.s("wrapuptime", .logical, "1"), F.s("monitor_type", .logical, "MixMonitor"),
        F.s("monitor_format", .logical, "wav"), F.s("more_options", .optional, ""),
    ]

    static let pbx: [EndpointSpec] = [
        EndpointSpec(["users", "add"], "pbx/users/add", summary: "Create an extension", fields: userFields),
        EndpointSpec(
            ["users", "search"], "pbx/users/search", summary: "List or find extensions",
            fields: [
                F.s("status", .logical, "all", ["all", "mapped"]),
                F("alike", .bool, .required, allowed: ["true", "false"], sample: .bool(true)),
                F.s("conditions.name", .optional, "101"), F.s("conditions.number", .optional, ""),
                F.s("conditions.mapped", .optional, ""),
            ]),
        EndpointSpec(
            ["users", "update"], "pbx/users/update", summary: "Edit an extension", fields: F.forUpdate(userFields)),
        EndpointSpec(
            ["users", "remove"], "pbx/users/remove", destructive: true, summary: "Delete an extension", fields: [F.id()]
        ),
        EndpointSpec(["trunks", "add"], "pbx/trunks/add", summary: "Create a trunk", fields: trunkFields),
        EndpointSpec(
            ["trunks", "search"], "pbx/trunks/search", summary: "Find trunks",
            fields: [F.alike(), F.s("conditions.name", .optional, "trunk_name_new")]),
        EndpointSpec(
            ["trunks", "update"], "pbx/trunks/update", summary: "Edit a trunk", fields: F.forUpdate(trunkFields)),
        EndpointSpec(
            ["trunks", "remove"], "pbx/trunks/remove", destructive: true, summary: "Delete a trunk", fields: [F.id()]),
        EndpointSpec(["queues", "add"], "pbx/queues/add", summary: "Create a queue", fields: queueFields),
        EndpointSpec(
            ["queues", "search"], "pbx/queues/search", summary: "Find queues",
            fields: [F.alike(), F.s("conditions.name", .optional, ""), F.s("conditions.number", .optional, "9009")]),
        EndpointSpec(
            ["queues", "update"], "pbx/queues/update", summary: "Edit a queue",
            fields: F.forUpdate(queueFields, id: "603c8d9ffc909f2e766d40d3")),
        EndpointSpec(
            ["queues", "remove"], "pbx/queues/remove", destructive: true, summary: "Delete a queue",
            fields: [F.id("603c8d9ffc909f2e766d40d3")]),
        EndpointSpec(
            ["queues", "add-agent"], "pbx/queues/addagent", summary: "Add an agent to a queue",
            fields: [
                F.s("queue", .required, "999", [], "queue number"),
                F.s("source", .required, "557", [], "extension that rings"),
                F.s("agent", .required, "557", [], "agent (operator) number"), F.s("penalty", .optional, "1"),
            ]),
        EndpointSpec(
            ["queues", "pause-agent"], "pbx/queues/pauseagent", summary: "Pause an agent",
            fields: [F.s("queue", .required, "999"), F.s("agent", .required, "557")]),
        EndpointSpec(
            ["queues", "resume-agent"], "pbx/queues/resumeagent", summary: "Unpause an agent",
            fields: [F.s("queue", .required, "999"), F.s("agent", .required, "557")]),
        EndpointSpec(
            ["queues", "remove-agent"], "pbx/queues/removeagent", destructive: true,
            summary: "Remove an agent from a queue",
            fields: [F.s("queue", .required, "999"), F.s("agent", .required, "557")]),
        EndpointSpec(
            ["queues", "batch-add-agent"], "pbx/queues/batchaddagent", summary: "Add many agents",
            fields: [
                F(
                    "agents", .array, .required,
                    sample: .array([
                        .object([
                            ("queue", .string("10000")), ("source", .string("570")), ("agent", .string("570")),
                            ("penalty", .string("")),
                        ]),
                        .object([
                            ("queue", .string("10000")), ("source", .string("553")), ("agent", .string("553")),
                            ("penalty", .string("")),
                        ]),
                    ]), help: "array of {queue, source, agent, penalty}")
            ]),
        EndpointSpec(
            ["queues", "batch-pause-agent"], "pbx/queues/batchpauseagent", summary: "Pause many agents",
            fields: [batchAgents]),
        EndpointSpec(
            ["queues", "batch-resume-agent"], "pbx/queues/batchresumeagent", summary: "Unpause many agents",
            fields: [batchAgents]),
        EndpointSpec(
            ["queues", "batch-remove-agent"], "pbx/queues/batchremoveagent", destructive: true,
            summary: "Remove many agents",
            fields: [batchAgents]),
        EndpointSpec(
            ["moh", "search"], "pbx/musiconholds/search", summary: "List music-on-hold classes",
            fields: [F.alike(), F.s("conditions.name", .optional, "wait")]),
        EndpointSpec(
            ["announcements", "upload"], "pbx/announcements/upload", body: .upload, summary: "Upload a sound file",
            fields: []),
        EndpointSpec(
            ["announcements", "add"], "pbx/announcements/add", summary: "Register an uploaded sound under a name",
            fields: announcementFields),
        EndpointSpec(
            ["announcements", "search"], "pbx/announcements/search", summary: "Find sounds",
            fields: [F.alike(), F.s("conditions.name", .optional, "")]),
        EndpointSpec(
            ["announcements", "update"], "pbx/announcements/update", summary: "Edit a sound",
            fields: F.forUpdate(announcementFields)),
        EndpointSpec(
            ["announcements", "remove"], "pbx/announcements/remove", destructive: true, summary: "Delete a sound",
            fields: [F.id()]),
    ]

    static let batchAgents = F(
        "agents", .array, .required,
        sample: .array([
            .object([("queue", .string("10000")), ("agent", .string("570"))]),
            .object([("queue", .string("10000")), ("agent", .string("553"))]),
        ]), help: "array of {queue, agent}")

    static let announcementFields: [FieldSpec] = [
        F.s("name", .required, "test_sound"),
        F.s("filename", .required, "file-20200624051520-61681-announcement-wiresha_", [], "the name upload returned"),
        F.s("comment", .optional, "Just for test"),
    ]
}
