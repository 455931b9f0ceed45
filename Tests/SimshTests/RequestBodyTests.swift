import SimotelKit
import Testing

@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

@Suite struct RequestBodyTests {
    @Test func fieldsNestAndKeepTheirTypes() throws {
        let body = try RequestBody.build([
            "alike:=true", "conditions.number=100", "conditions.name=", "pagination.start:=0", "pagination.count:=20",
            "forward_policy.No Answer=0915",
        ])
        #expect(
            body.serialized()
                == #"{"alike":true,"conditions":{"number":"100","name":""},"pagination":{"start":0,"count":20},"forward_policy":{"No Answer":"0915"}}"#
        )
    }

    @Test func aJSONBodyIsSentAsIs() throws {
        let text = #"{"alike":false,"conditions":{"number":"100"}}"#
        #expect(try RequestBody.build([text]).serialized() == text)
        #expect(try RequestBody.build([]).serialized() == "{}")
    }

    @Test(arguments: ["{bad", "novalue", "=x", "a..b=1", "n:=nope"])
    func badBodiesAreUsageErrors(word: String) {
        #expect(throws: SimshError.self) { try RequestBody.build([word]) }
    }
}
