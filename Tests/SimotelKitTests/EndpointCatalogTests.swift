import SimotelKit
import Testing

/// The catalog against api-v4.md §10 and the documentation's sample bodies.
@Suite struct EndpointCatalogTests {
    /// api-v4.md §10, in order (79 services and the `reports/cdr` alias).
    static let documentedPaths = [
        "setting/ping/act", "call/originate/act", "pbx/users/add", "pbx/users/search", "pbx/users/update",
        "pbx/users/remove",
        "pbx/trunks/add", "pbx/trunks/search", "pbx/trunks/update", "pbx/trunks/remove", "pbx/queues/add",
        "pbx/queues/search",
        "pbx/queues/update", "pbx/queues/remove", "pbx/queues/addagent", "pbx/queues/pauseagent",
        "pbx/queues/resumeagent",
        "pbx/queues/removeagent", "pbx/queues/batchaddagent", "pbx/queues/batchpauseagent",
        "pbx/queues/batchresumeagent",
        "pbx/queues/batchremoveagent", "pbx/musiconholds/search", "pbx/announcements/upload", "pbx/announcements/add",
        "pbx/announcements/search", "pbx/announcements/update", "pbx/announcements/remove", "voicemails/voicemails/add",
        "voicemails/voicemails/search", "voicemails/voicemails/update", "voicemails/voicemails/remove",
        "voicemails/inbox/search", "pbx/blacklists/add", "pbx/blacklists/search", "pbx/blacklists/update",
        "pbx/blacklists/remove", "pbx/whitelists/add", "pbx/whitelists/search", "pbx/whitelists/update",
        "pbx/whitelists/remove", "pbx/faxes/upload", "pbx/faxes/add", "pbx/faxes/search", "pbx/faxes/download",
        "reports/quick/search", "reports/quick/info", "reports/audio/download", "reports/cdr/search",
        "reports/cdr/ordered/id",
        "reports/queue/search", "reports/queue/ordered/id", "reports/queue_details/search",
        "reports/queue_details/ordered/id", "reports/agent/search", "reports/poll/search", "autodialer/contacts/add",
        "autodialer/contacts/search", "autodialer/contacts/update", "autodialer/contacts/remove",
        "autodialer/groups/upload",
        "autodialer/groups/add", "autodialer/groups/search", "autodialer/groups/update", "autodialer/groups/remove",
        "autodialer/campaigns/add", "autodialer/campaigns/search", "autodialer/campaigns/update",
        "autodialer/campaigns/remove", "autodialer/announcements/upload", "autodialer/announcements/add",
        "autodialer/announcements/search", "autodialer/announcements/update", "autodialer/announcements/remove",
        "autodialer/trunks/search", "autodialer/trunks/update", "autodialer/reports/search",
        "autodialer/reports/ordered/id",
        "autodialer/reports/info", "reports/cdr",
    ]

    @Test func everyDocumentedServiceHasExactlyOneRow() {
        #expect(Self.documentedPaths.count == 80)
        #expect(Set(EndpointCatalog.all.map(\.path)) == Set(Self.documentedPaths))
        #expect(EndpointCatalog.all.count == 80)
        #expect(Set(EndpointCatalog.all.map(\.command)).count == 80)
    }

    @Test func methodsBodiesAndPaging() {
        for e in EndpointCatalog.all {
            #expect(e.method == (e.path == "setting/ping/act" ? "PUT" : "POST"), "\(e.path)")
            #expect(!e.summary.isEmpty && !e.summary.hasSuffix("."))
            #expect(Set(e.fields.map(\.name)).count == e.fields.count, "\(e.path) repeats a field")
        }
        #expect(
            EndpointCatalog.all.filter { $0.body == .upload }.map(\.path).sorted() == [
                "autodialer/announcements/upload", "autodialer/groups/upload", "pbx/announcements/upload",
                "pbx/faxes/upload",
            ])
        #expect(
            EndpointCatalog.all.filter { $0.body == .download }.map(\.path).sorted() == [
                "pbx/faxes/download", "reports/audio/download",
            ])
        #expect(EndpointCatalog.all.filter { $0.paging == .cursor }.count == 4)
    }

    /// The bodies the catalog builds from its samples are the documentation's samples, types included.
    @Test(arguments: [
        (
            "pbx/users/add",
            #"{"user_type":"SIP","active":"yes","name":"User2","number":"999","cid_number":"999","secret":"999","call_record":"no","push_notification":"no","deny":"0.0.0.0/0.0.0.0","permit":"0.0.0.0/0.0.0.0","dtmfmode":"rfc2833","canreinvite":"no","directmedia":"no","context":"main_routing","host":"dynamic","type":"user","nat":"no","port":"5060","qualify":"no","callgroup":"1","pickupgroup":"1","callcounter":"no","faxdetect":"no","call_limit":"","trunk":"no","transfer":"no","email":"","forward_policy":{"Busy":"571","No Answer":"09158315762","UnAvailable":"570","All":"2121"},"more_options":""}"#
        ),
        (
            "call/originate/act",
            #"{"caller":"557","callee":"552","context":"main_routing","caller_id":"557","trunk_name":"cisco","timeout":"30","call_limit":"30"}"#
        ),
        ("pbx/users/search", #"{"status":"all","alike":true,"conditions":{"name":"101","number":"","mapped":""}}"#),
        ("pbx/queues/addagent", #"{"queue":"999","source":"557","agent":"557","penalty":"1"}"#),
        (
            "pbx/queues/batchpauseagent",
            #"{"agents":[{"queue":"10000","agent":"570"},{"queue":"10000","agent":"553"}]}"#
        ),
        (
            "voicemails/inbox/search",
            #"{"alike":"true","pagination":{"start":0,"count":20,"sorting":{}},"date_range":{"from":"2020-12-25 13:53","to":"2022-12-27 13:53"},"conditions":{"src":"","number":"400"}}"#
        ),
        ("reports/cdr/ordered/id", #"{"_id":""}"#),
        (
            "pbx/faxes/add",
            #"{"sender_id":"username1","to":"112233","ext":"558","trunk_name":"Cisco","file":"file-20200624051520-61681-fax-test","description":"Just for test"}"#
        ),
        (
            "autodialer/campaigns/add",
            #"{"name":"test","trunk_manager_id":"5f6c5b56c92de0068f32e592","interface_context":"auto","interface_text":"text1","numbers":["09212396500"],"groups":["5e96c8c2c92de0468920657e","5e96d40cc92de025690d0a61"],"try_interval":"600","try":"1","start":"2021-02-19 15:17","end":"2021-02-23 15:17","announcement":"5e5b629ec92de075df7af457","description":"","count":3}"#
        ),
        (
            "reports/cdr/search",
            #"{"conditions":{"from":"","to":"","cuid":""},"date_range":{"from":"2020-06-15 15:16","to":"2022-06-22 15:16"},"pagination":{"start":0,"count":20,"sorting":{}},"alike":"true"}"#
        ),
        (
            "autodialer/groups/add",
            #"{"name":"test_group","numbers":["1111","2222","3333"],"description":"just for test"}"#
        ),
        (
            "autodialer/trunks/update",
            #"{"_id":"5ec63107ce4f6d12c43e250f","title":"autodialer1","status":"active","wait_cache_length":"100","capacity":"50","dial_interval":"1"}"#
        ),
    ])
    func sampleBodies(path: String, documented: String) throws {
        let spec = try #require(EndpointCatalog.endpoint(path: path))
        #expect(spec.sampleBody == (try JSONValue.parse(documented)), "\(path)")
    }

    @Test func reportSearchesRequireTheirDateRange() throws {
        for path in [
            "reports/quick/search", "reports/cdr/search", "reports/queue/search", "reports/agent/search",
            "reports/poll/search",
        ] {
            let spec = try #require(EndpointCatalog.endpoint(path: path))
            #expect(spec.field("date_range.from")?.need == .required)
            #expect(spec.field("alike")?.need == .required)
            #expect(spec.paging == .pages)
        }
    }

    /// One default order per paged service (api-v4.md §7.4), none for the others.
    @Test func everyPagedServiceHasItsDefaultOrder() {
        let paged = Set(EndpointCatalog.all.filter { $0.paging == .pages }.map(\.path))
        #expect(Set(EndpointSpec.defaultSorts.keys) == paged)
        #expect(EndpointCatalog.endpoint(path: "reports/agent/search")?.defaultSorting?.field == "end")
        #expect(EndpointCatalog.endpoint(path: "autodialer/contacts/search")?.defaultSorting?.direction == 1)
    }
}
