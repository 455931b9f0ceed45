import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshLanguage

/// The body simsh builds from a command's words, for every service of the catalog.
@Suite struct EndpointRequestTests {
    /// `field=value` for strings, `field:=JSON` for the rest: what a person types to send the sample.
    static func words(for spec: EndpointSpec) -> [String] {
        spec.fields.compactMap { f in
            guard let sample = f.sample else { return nil }
            if case .string(let s) = sample { return "\(f.name)=\(s)" }
            return "\(f.name):=\(sample.serialized())"
        }
    }

    @Test(arguments: EndpointCatalog.all.filter { $0.body != .upload }.map(\.command))
    func sampleCommandBuildsTheDocumentedBody(command: String) throws {
        let spec = try #require(EndpointCatalog.endpoint(words: command.split(separator: " ").map(String.init)))
        let body = try EndpointRequest(spec: spec).build(Self.words(for: spec))
        #expect(body == spec.sampleBody, "\(command): \(body.serialized())")
    }

    @Test func shorthandsDefaultsAndTypes() throws {
        let search = EndpointCatalog.endpoint(words: ["users", "search"])!
        #expect(
            try EndpointRequest(spec: search).build(["number=100"]).serialized()
                == #"{"conditions":{"number":"100","name":"","mapped":""},"status":"all","alike":false}"#)
        let trunks = EndpointCatalog.endpoint(words: ["trunks", "search"])!
        #expect(
            try EndpointRequest(spec: trunks).build(["name=t1", "alike=true"]).serialized()
                == #"{"conditions":{"name":"t1"},"alike":"true"}"#)
        let group = EndpointCatalog.endpoint(words: ["autodialer", "groups", "add"])!
        #expect(
            try EndpointRequest(spec: group).build(["name=g", "numbers=1111,2222"]).serialized()
                == #"{"name":"g","numbers":["1111","2222"]}"#)
        let inbox = EndpointCatalog.endpoint(words: ["inbox", "search"])!
        #expect(try EndpointRequest(spec: inbox).build(["pagination.start=5"])["pagination"]?["start"] == .number(5))
    }

    @Test(arguments: [
        (["users", "add"], ["name=a", "secret=b"], "missing required field number"),
        (["users", "add"], ["name=a", "number=1", "secret=b", "colour=red"], "unknown field 'colour'"),
        (["queues", "add"], ["name=q", "number=1", "strategy=sometimes"], "strategy must be one of"),
        (["inbox", "search"], ["pagination.count=many"], "pagination.count must be a number"),
        (["users", "remove"], [], "missing required field _id"),
        (["reports", "cdr"], [], "missing required fields date_range.from, date_range.to"),
    ])
    func refusedBeforeSending(words: [String], fields: [String], message: String) throws {
        let spec = try #require(EndpointCatalog.endpoint(words: words))
        do {
            _ = try EndpointRequest(spec: spec).build(fields)
            Issue.record("accepted \(fields)")
        } catch let e as SimshError {
            #expect(e.exitStatus == 2)
            #expect(e.message.contains(message), "\(e.message)")
        }
    }
}

/// Every catalog command, run through the interpreter with its sample fields, against the demo
/// simulator: accepted by the command layer and answered by the simulator.
@Suite struct EveryCommandTests {
    @Test func everyCommandRunsAgainstTheSimulator() async throws {
        let t = TestSession()
        try await t.session.startDemo()
        let dir = TempDir()
        let upload = dir.file("f.wav")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: upload))
        var failures: [String] = []
        for spec in EndpointCatalog.all where spec.path != "setting/ping/act" {
            var words = spec.words
            switch spec.body {
            case .upload: words.append(upload)
            case .download: words += EndpointRequestTests.words(for: spec) + ["--out", dir.file("out.bin")]
            case .json: words += EndpointRequestTests.words(for: spec)
            }
            do {
                try await t.interpreter.dispatch(words)
            } catch let e as SimshError {
                // The simulator may refuse a sample (a duplicate, an unknown id, a missing file): that is
                // an API answer. The command layer must not refuse its own sample, nor fail to connect.
                if e.kind == .usage || e.kind == .transport { failures.append("\(spec.command): \(e.message)") }
            }
        }
        await t.session.close()
        #expect(failures.isEmpty, "\(failures)")
    }
}
