import ArgumentParser
import SimotelKit
import SimshLanguage
import SimshRuntime

struct SmartCheck: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Lint a Smart API script: each mistake on a line with its column; exit 1 when there is one",
        discussion: """
            A Smart API service replies {"ok":"1","commands":"…"} (webhooks.md §6.5): the 13 functions \
            PlayAnnouncement, Playback, SayNumber, SayDigit, SayDuration, SayClock, SayDate, GetData, \
            MusicOnHold, SetExten, SetLimitOnCall, ClearUserData and Exit, separated by ';', strings in \
            straight single quotes, whole numbers bare, Exit last. The check finds typographic quotes \
            (‘default’, as two examples of the documentation have them), unknown functions, wrong argument \
            counts and types, values in the wrong format or that no clock or calendar has \
            (SayClock('25:61'); SayDate('1395-13-45', 'jalali'): Jalali months 1-6 have 31 days, 7-11 \
            30, Esfand 29 or 30 in a leap year; Hijri months up to 30), commands after Exit and, with \
            --cases, an Exit to a case the component does not have. An empty command (';;', as the \
            PHP SDK's MusicOnHold() writes, or a leading ';') is a warning, not a mistake: the docs do \
            not say how Simotel takes it. A correct script is printed as Simotel's documentation writes \
            it, numbers as written (SayDigit(007) stays 007). Example: smart check \
            "PlayAnnouncement('welcome'); GetData('enter', 10, 1); Exit('go-s2')" --cases go-s2,go-b
            """
    )

    @Argument(help: ArgumentHelp("The commands string of a Smart API reply", valueName: "script"))
    var script: String

    @Option(
        help: ArgumentHelp("The component's cases, comma-separated: Exit must name one", valueName: "cases"))
    var cases: String?

    func run(in session: Session) async throws {
        let cases = self.cases.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        let lint = SmartScript.lint(script, cases: cases)
        let (parsed, mistakes) = (lint.script, lint.mistakes)
        for warning in lint.warnings { session.output.warning("smart: \(warning.message)") }
        guard mistakes.isEmpty else {
            for mistake in mistakes { session.output.error(SimshError(.expectation, "smart: \(mistake)")) }
            throw SimshError(
                .expectation, "\(mistakes.count) mistake\(mistakes.count == 1 ? "" : "s") in the Smart API script")
        }
        let count = parsed.commands.count
        session.output.line("ok (\(count) command\(count == 1 ? "" : "s")): \(parsed.text)")
    }
}

extension SmartCheck: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "A correct script:",
            "simsh> smart check \"PlayAnnouncement('a'); GetData('b', 10, 1); Exit('go')\" --cases go,e",
            "ok (3 commands): PlayAnnouncement('a'); GetData('b', 10, 1); Exit('go')"),
        CommandExample(
            "A script with a typographic quote:",
            "simsh> smart check \"PlayAnnouncement(‘a’)\"",
            "error: smart: column 18: typographic quote ‘: strings go in straight single quotes '…'"),
    ]
}
