import Foundation
import SimotelKit
import Testing

@testable import SimotelSimulator

/// add → search → update → remove for every resource of the catalog, against the simulator,
/// with the documentation's sample bodies.
@Suite struct SimulatorRecordsTests {
    static var resources: [String] {
        EndpointCatalog.all.filter { $0.path.hasSuffix("/add") }.map { String($0.path.dropLast("/add".count)) }
    }

    @Test func everyResourceHasTheFourActions() {
        #expect(Self.resources.count == 12)
        for r in Self.resources {
            #expect(EndpointCatalog.endpoint(path: r + "/search") != nil, "\(r)")
            // Faxes are sent, found and downloaded; they are not edited or deleted (api-v4.md §8.11).
            #expect((EndpointCatalog.endpoint(path: r + "/update") != nil) == (r != "pbx/faxes"), "\(r)")
            #expect((EndpointCatalog.endpoint(path: r + "/remove") != nil) == (r != "pbx/faxes"), "\(r)")
        }
    }

    /// Keys §8 shows in a search row of these resources beyond what the add body holds.
    static let documentedKeys: [String: [String]] = [
        "pbx/users": ["_id", "name", "number", "secret", "description", "date", "queues"],
        "pbx/faxes": ["_id", "type", "src", "dst", "status", "file", "description", "date", "ext", "trunk", "channel"],
        "autodialer/groups": ["_id", "name", "description", "count", "date"],
        "autodialer/campaigns": [
            "_id", "name", "trunk_manager_id", "start", "end", "count", "repeat", "date", "status",
            "isoStart", "isoEnd",
        ],
    ]

    @Test(arguments: resources)
    func roundTrip(resource: String) async throws {
        try await withSimulator { sim, client in
            // A campaign names a trunk manager, which only the PBX makes (§8.13.5).
            let manager = EndpointCatalog.endpoint(path: "autodialer/campaigns/add")?.sampleBody["trunk_manager_id"]
            sim.store.insert("autodialer/trunks", .object([("_id", manager ?? .null), ("title", .string("t"))]))
            func send(_ path: String, _ body: JSONValue) async throws -> SimotelEnvelope {
                let r = try await client.send(method: "POST", path: path, body: Array(body.serialized().utf8))
                #expect(r.status == 200, "\(path)")
                return try #require(r.envelope)
            }
            let add = try #require(EndpointCatalog.endpoint(path: resource + "/add"))
            let added = try await send(add.path, add.sampleBody)
            #expect(added.success == 1, "\(resource): \(added.message ?? "")")
            let search = try #require(EndpointCatalog.endpoint(path: resource + "/search"))
            var query = search.sampleBody
            if case .object(let conditions)? = query["conditions"] {
                query = query.setting("conditions", to: .object(conditions.map { ($0.0, .string("")) }))
            }
            // The sample's date range (2020–2022) would leave out what was added today.
            if query["date_range"] != nil {
                query = query.setting(
                    "date_range",
                    to: .object([("from", .string("2020-01-01 00:00")), ("to", .string("2100-01-01 00:00"))]))
            }
            let found = try await send(search.path, query)
            let rows: [JSONValue]
            switch found.data["data"] ?? found.data {
            case .array(let r): rows = r
            default: rows = []
            }
            #expect(rows.count == 1, "\(resource)")
            for key in Self.documentedKeys[resource] ?? [] { #expect(rows.first?[key] != nil, "\(resource): \(key)") }
            // Every other row holds what was added, with its `_id` and `date` (§8: "all add fields + _id, date").
            if Self.documentedKeys[resource] == nil, case .object(let fields) = add.sampleBody {
                for key in fields.map(\.0) + ["_id", "date"] {
                    #expect(rows.first?[key] != nil, "\(resource): \(key)")
                }
            }
            if resource == "autodialer/campaigns" {
                // Gregorian as sent (2021-02-19 15:17), Jalali as stored (§8.13.3).
                #expect(rows.first?["start"] == .string("1399-12-01 15:17:00"))
                #expect(rows.first?["status"] == .string("waiting"))
            }
            if resource == "pbx/faxes" { #expect(rows.first?["type"] == .string("outbox")) }
            let id = try #require(rows.first?["_id"]?.stringValue)
            if let idFromAdd = added.data["_id"]?.stringValue { #expect(idFromAdd == id) }
            if resource == "pbx/users" { #expect(rows.first?["secret"] == .string("******")) }
            if let update = EndpointCatalog.endpoint(path: resource + "/update") {
                let changed = try await send(
                    update.path, .object([("_id", .string(id)), ("description", .string("changed"))]))
                #expect(changed.success == 1, "\(resource)")
            }
            if let remove = EndpointCatalog.endpoint(path: resource + "/remove") {
                #expect(try await send(remove.path, .object([("_id", .string(id))])).success == 1)
                #expect(try await send(remove.path, .object([("_id", .string(id))])).success == 0)
            }
        }
    }

    @Test(arguments: EndpointCatalog.all.filter { $0.body == .upload }.map(\.path))
    func uploadThenDownloadReturnsIdenticalBytes(path: String) async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let up = try await client.upload(path: path, fileName: "tone.wav", bytes: bytes)
        let name = try #require(up.envelope?.data["filename"]?.stringValue)
        #expect(up.envelope?.success == 1)
        #expect(up.envelope?.message == (path.hasPrefix("pbx/") ? "1 file(s) uploaded successfully" : ""))
        var download = try await client.send(
            method: "POST", path: "reports/audio/download", body: Array(#"{"file":"\#(name)"}"#.utf8))
        if path == "pbx/faxes/upload" {
            let add = try await client.send(
                method: "POST", path: "pbx/faxes/add", body: Array(#"{"to":"112233","file":"\#(name)"}"#.utf8))
            let id = try #require(add.envelope?.data["_id"]?.stringValue)
            download = try await client.send(
                method: "POST", path: "pbx/faxes/download", body: Array(#"{"_id":"\#(id)"}"#.utf8))
        }
        let missing = try await client.send(
            method: "POST", path: "reports/audio/download", body: Array(#"{"file":"nope.wav"}"#.utf8))
        let notMultipart = try await client.send(method: "POST", path: path, body: Array("{}".utf8))
        await client.shutdown()
        await sim.stop()
        #expect(download.status == 200)
        #expect(download.body == bytes)
        #expect(missing.status == 404 && missing.body.isEmpty)
        #expect(notMultipart.status == 415)
    }

    @Test func duplicatesAndMissingFieldsAreRefusedWithSuccessZero() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        let add = EndpointCatalog.endpoint(path: "pbx/users/add")!
        let first = try await client.send(method: "POST", path: add.path, body: Array(add.sampleBody.serialized().utf8))
        let again = try await client.send(method: "POST", path: add.path, body: Array(add.sampleBody.serialized().utf8))
        let missing = try await client.send(method: "POST", path: add.path, body: Array(#"{"name":"x"}"#.utf8))
        await client.shutdown()
        await sim.stop()
        #expect(first.envelope?.success == 1)
        #expect(again.envelope?.success == 0)
        #expect(again.envelope?.message == "This number already exists")
        #expect(missing.envelope?.message == "Field 'number':value is missing")
    }
}

/// Every service of the catalog is served (no 501) and answers its sample body with the envelope.
@Suite struct SimulatorCoverageTests {
    @Test func everyCatalogServiceIsServed() async throws {
        let sim = SimotelSimulator(configuration: SimulatorConfiguration())
        let url = try await sim.start()
        let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
        var unserved: [String] = []
        for spec in EndpointCatalog.all {
            let r: SimotelResponse
            switch spec.body {
            case .upload: r = try await client.upload(path: spec.path, fileName: "f.wav", bytes: [1, 2, 3])
            case .json, .download:
                r = try await client.send(
                    method: spec.method, path: spec.path, body: Array(spec.sampleBody.serialized().utf8))
            }
            if r.status == 501 { unserved.append(spec.path) }
            if spec.body != .download { #expect(r.envelope != nil, "\(spec.path)") }
        }
        await client.shutdown()
        await sim.stop()
        #expect(unserved.isEmpty, "not served: \(unserved)")
    }
}

/// A simulator and a client of it for one test, both stopped when `body` ends, however it ends.
func withSimulator(
    seedDemo: Bool = false, _ body: (SimotelSimulator, SimotelClient) async throws -> Void
) async throws {
    let sim = SimotelSimulator(configuration: SimulatorConfiguration(seedDemo: seedDemo))
    let url = try await sim.start()
    let client = SimotelClient(connection: SimotelConnection(root: url, credentials: .documentationSample))
    do {
        try await body(sim, client)
    } catch {
        await client.shutdown()
        await sim.stop()
        throw error
    }
    await client.shutdown()
    await sim.stop()
}
