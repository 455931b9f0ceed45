import SimotelKit
import Testing

@testable import SimshCommands

/// `smart check` as an integrator meets it (issue 23, point 2): numbers keep their digits,
/// impossible clock times and dates are refused, an empty command is a warning.
@Suite struct SmartCheckTests {
    @Test func numbersKeepTheirDigits() async {
        #expect(SmartScript.check("SayDigit(007); SayNumber(0120)").script.text == "SayDigit(007); SayNumber(0120)")
        let t = TestSession()
        #expect(await t.run("smart check \"SayDigit(007)\"") == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput == "ok (1 command): SayDigit(007)\n")
    }

    /// Each wrong value names its command and column; the right ones pass.
    @Test func impossibleClockTimesAndDatesAreRefused() {
        let wrong: [(String, String)] = [
            ("SayClock('25:61')", "SayClock('25:61'): hour 25 is not 0–23, minute 61 is not 0–59"),
            ("SayClock('12:00:60')", "SayClock('12:00:60'): second 60 is not 0–59"),
            (
                "SayDate('1395-13-45','jalali')",
                "SayDate('1395-13-45','jalali'): month 13 is not 1–12, day 45 is not 1–31"
            ),
            ("SayDate('1395-07-31','jalali')", "day 31 is not 1–30: month 7 of the jalali year 1395 has 30 days"),
            ("SayDate('1396-12-30','jalali')", "day 30 is not 1–29: month 12 of the jalali year 1396 has 29 days"),
            ("SayDate('2023-02-29','gregorian')", "day 29 is not 1–28"),
            ("SayDate('2023-04-31','gregorian')", "day 31 is not 1–30"),
            ("SayDate('1445-09-31','hijri')", "day 31 is not 1–30"),
            ("SayDate('2024-00-10','gregorian')", "month 0 is not 1–12"),
        ]
        for (script, message) in wrong {
            let mistakes = SmartScript.check("Playback('a'); " + script).mistakes
            #expect(
                mistakes.count == 1 && mistakes[0].column == 16 && mistakes[0].message.contains(message),
                "\(script): \(mistakes)")
        }
        for script in [
            "SayClock('23:59:59')", "SayClock('0:00')", "SayDate('1395-12-30', 'jalali')",
            "SayDate('1395-06-31', 'jalali')", "SayDate('2024-02-29', 'gregorian')",
            "SayDate('2000-02-29', 'gregorian')", "SayDate('1445-09-30', 'hijri')",
        ] {
            #expect(SmartScript.check(script).mistakes.isEmpty, "\(script): \(SmartScript.check(script).mistakes)")
        }
    }

    @Test func smartCheckSaysTheImpossibleDate() async {
        let t = TestSession()
        #expect(await t.run("smart check \"SayDate('1395-13-45','jalali')\"") == 1)
        #expect(
            t.sink.standardError.contains(
                "error: smart: column 1: SayDate('1395-13-45','jalali'): month 13 is not 1–12, day 45 is not 1–31"),
            "\(t.sink.standardError)")
    }

    /// `Playback('a');;Exit('1')`, as the PHP SDK's MusicOnHold() writes it, is a warning naming the
    /// SDK; a leading `;` is a warning at column 1 without it. Both scripts pass.
    @Test func anEmptyCommandIsAWarning() async {
        let sdk = SmartScript.lint("Playback('a');;Exit('1')")
        #expect(sdk.mistakes.isEmpty, "\(sdk.mistakes)")
        #expect(
            sdk.warnings.map(\.message) == [
                "empty command at column 15 (the PHP SDK's MusicOnHold() writes one); "
                    + "Simotel's docs do not say how it is taken"
            ])
        let leading = SmartScript.lint(";Playback('a')")
        #expect(leading.mistakes.isEmpty)
        #expect(
            leading.warnings.map(\.message) == ["empty command at column 1; Simotel's docs do not say how it is taken"])
        let t = TestSession()
        #expect(await t.run("smart check \"Playback('a');;Exit('1')\"") == 0, "\(t.sink.all)")
        #expect(t.sink.standardOutput == "ok (2 commands): Playback('a'); Exit('1')\n")
        #expect(
            t.sink.standardError.contains("warning: smart: empty command at column 15 (the PHP SDK's MusicOnHold()"),
            "\(t.sink.standardError)")
        // A script of nothing but ';' still has no commands.
        #expect(SmartScript.check(";").mistakes.map(\.message) == ["no commands"])
    }
}
