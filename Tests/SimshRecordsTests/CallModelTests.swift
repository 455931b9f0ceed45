import Foundation
import SimotelKit
import SimshRecords
import Testing

/// How records become calls and a call's timeline: the joins Simotel's identifiers allow.
@Suite struct CallModelTests {
    func event(_ name: String, _ payload: String, at seconds: Double, id: Int64) -> StoredRecord {
        let json = (try? JSONValue.parse(payload)) ?? .object([])
        let ids = CallIdentifiers.of(json)
        return StoredRecord(
            id: id, kind: .event, time: Date(timeIntervalSince1970: 1_796_662_289 + seconds), name: name,
            callID: ids.originated, uniqueID: ids.unique, source: "test",
            body: #"{"name":"\#(name)","payload":\#(payload)}"#)
    }

    var originatedCall: [StoredRecord] {
        let request = StoredRecord(
            id: 1, kind: .request, time: Date(timeIntervalSince1970: 1_796_662_289), name: "POST call/originate/act",
            callID: "orig.call.1.1", source: "test",
            body:
                #"{"request":{"caller":"101","callee":"102"},"status":200,"answer":{"data":{"originated_call_id":"orig.call.1.1"}}}"#
        )
        return [
            // Stored before the request's own record (its answer came after the events began).
            event(
                "NewState", #"{"event_name":"NewState","exten":"101","state":"Ringing","unique_id":"9.1"}"#, at: 0.2,
                id: 2),
            request,
            event(
                "OutgoingCall",
                #"{"event_name":"OutgoingCall","number":"102","unique_id":"9.1","originated_call_id":"orig.call.1.1"}"#,
                at: 0.5, id: 3),
            event(
                "NewState", #"{"event_name":"NewState","exten":"101","state":"InUse","unique_id":"9.1"}"#, at: 0.6,
                id: 4),
            event(
                "Cdr",
                #"{"event_name":"Cdr","src":"101","dst":"102","type":"outgoing","disposition":"ANSWERED","duration":12,"unique_id":"9.1","originated_call_id":"orig.call.1.1","starttime":"2020-01-01 10:00:00"}"#,
                at: 13, id: 5),
            event(
                "NewState", #"{"event_name":"NewState","exten":"555","state":"Ringing","unique_id":"7.7"}"#, at: 1,
                id: 6),
        ]
    }

    @Test func recordsJoinIntoCallsByEitherIdentifier() {
        let calls = CallSummary.group(originatedCall)
        #expect(calls.count == 2)
        let call = calls[0]
        #expect(call.id == "orig.call.1.1" && call.uniqueIDs == ["9.1"])
        #expect(call.from == "101" && call.to == "102" && call.direction == "originate")
        #expect(call.state == "ended" && call.outcome == "ANSWERED" && call.duration == 12 && call.records == 5)
        #expect(calls[1].id == "7.7" && calls[1].state == "ringing")
    }

    @Test func aCDRSearchIsCutToTheCallsRowsAndItsRouteSteps() {
        let answer =
            #"{"success":1,"data":{"data":[{"cuid":"9.1","uniqueid":"9.2","route":[{"type":"IncomingRoute","name":"in","duration":0.01,"date":{"$date":{"$numberLong":"1669962473534"}}}]},{"cuid":"8.8","uniqueid":"8.9"}]}}"#
        let search = StoredRecord(
            id: 9, kind: .request, time: Date(), name: "POST reports/cdr", extraKeys: ["9.1", "9.2", "8.8", "8.9"],
            source: "test", body: #"{"status":200,"answer":\#(answer)}"#)
        let trace = CallTrace(keys: ["9.2"], records: [search])
        #expect(trace.entries.map(\.kind) == [.request, .route])
        #expect(trace.entries[1].name == "IncomingRoute in" && trace.entries[1].ownTime != nil)
        let rows = trace.entries[0].fields["answer"]?["data"]
        guard case .array(let kept)? = rows else {
            Issue.record("no rows: \(String(describing: rows))")
            return
        }
        #expect(kept.count == 1)
    }
}
