import Foundation
import SimotelKit
import SimshRecords
import SimshStore
import SimshTesting
import Testing

/// A call's timeline read from a real store: the links between its identifiers followed.
@Suite struct CallTraceStoreTests {
    func event(_ name: String, _ payload: String, at seconds: Double) -> StoredRecord {
        let json = (try? JSONValue.parse(payload)) ?? .object([])
        let ids = CallIdentifiers.of(json)
        return StoredRecord(
            kind: .event, time: Date(timeIntervalSince1970: 1_796_662_289 + seconds), name: name,
            callID: ids.originated, uniqueID: ids.unique, source: "test",
            body: #"{"name":"\#(name)","payload":\#(payload)}"#)
    }

    @Test func aTraceFollowsTheLinksAndPutsTheRequestFirst() async throws {
        let dir = TempDir()
        let store = try await SQLiteRecordStore.open(path: dir.file("events.db"))
        _ = try await store.write(records)
        let found = try await CallTrace.collect("orig.call.1.1", in: store)
        #expect(Set(found.keys) == ["orig.call.1.1", "9.1"])
        let trace = CallTrace(keys: found.keys, records: found.records)
        #expect(
            trace.entries.map(\.name) == ["POST call/originate/act", "NewState", "OutgoingCall", "NewState", "Cdr"])
        #expect(trace.entries.first?.kind == .request && trace.entries.first?.offsetMilliseconds == 0)
        // The Cdr's own start time is years from when it arrived: shown.
        #expect(trace.entries.last?.ownTime != nil)
        // Found by the unique id too, the same call.
        #expect(try await CallTrace.collect("9.1", in: store).records.count == 5)
        await store.close()
    }

    /// As a store gets them: a NewState before the request's record, whose answer came after it.
    var records: [StoredRecord] {
        [
            event("NewState", #"{"event_name":"NewState","exten":"101","state":"Ringing","unique_id":"9.1"}"#, at: 0.2),
            StoredRecord(
                kind: .request, time: Date(timeIntervalSince1970: 1_796_662_289), name: "POST call/originate/act",
                callID: "orig.call.1.1", source: "test",
                body: #"{"status":200,"answer":{"data":{"originated_call_id":"orig.call.1.1"}}}"#),
            event(
                "OutgoingCall",
                #"{"event_name":"OutgoingCall","number":"102","unique_id":"9.1","originated_call_id":"orig.call.1.1"}"#,
                at: 0.5),
            event("NewState", #"{"event_name":"NewState","exten":"101","state":"InUse","unique_id":"9.1"}"#, at: 0.6),
            event(
                "Cdr",
                #"{"event_name":"Cdr","disposition":"ANSWERED","unique_id":"9.1","originated_call_id":"orig.call.1.1","starttime":"2020-01-01 10:00:00"}"#,
                at: 13),
            event("NewState", #"{"event_name":"NewState","exten":"555","state":"Ringing","unique_id":"7.7"}"#, at: 1),
        ]
    }
}
