import SimotelKit
import Testing

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndRoundTrips() throws {
        let text = #"{"zeta":1,"alpha":[true,null,"x\n\"y\""],"mid":{"b":-1.5e2,"a":"\u00e9\ud83d\ude00"}}"#
        let v = try JSONValue.parse(text)
        guard case .object(let pairs) = v else {
            Issue.record("not an object")
            return
        }
        #expect(pairs.map(\.0) == ["zeta", "alpha", "mid"])
        #expect(v["mid"]?["a"]?.stringValue == "é😀")
        #expect(try JSONValue.parse(v.serialized()) == v)
        #expect(v.serialized() == #"{"zeta":1,"alpha":[true,null,"x\n\"y\""],"mid":{"b":-150,"a":"é😀"}}"#)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01x", "\"\u{01}\"", "nul", "{\"a\":1}x", "\"\\ud800\"",
        // Non-conforming forms that once reached the event log as-is (RFC 8259 refuses them).
        #"{"n":01}"#, #"{"n":-00}"#, #""\u+041""#, #""\u-000""#, #""\u 041""#, "00", "-01.5",
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test(arguments: ["0", "-0", "0.5", "-0.5e3", "10", #""\u0041""#, #""\uabCD""#])
    func acceptsConforming(text: String) throws {
        _ = try JSONValue.parse(text)
    }

    @Test func lenientInts() throws {
        #expect(JSONValue.string("42").intValue == 42)
        #expect(JSONValue.number(3).intValue == 3)
        #expect(JSONValue.number(3.5).intValue == nil)
    }
}
