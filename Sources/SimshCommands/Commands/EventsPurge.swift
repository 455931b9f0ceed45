import ArgumentParser
import Foundation
import SimshLanguage
import SimshRecords
import SimshRuntime

struct EventsPurge: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete records from the event store (all, or those before a time)",
        discussion: """
            The store keeps phone numbers and call records (personal data) for store_keep_days (30 by \
            default) and within a size bound, oldest dropped first; purge deletes them sooner. In the \
            shell it asks first unless --yes; elsewhere it needs --yes. events clear forgets the \
            session's view only.
            """
    )

    @Option(
        help: ArgumentHelp("Only records older than this (1d ago, or YYYY-MM-DD HH:MM[:SS])", valueName: "time"))
    var before: String?

    @Flag(help: "Do not ask")
    var yes = false

    func run(in session: Session) async throws {
        let store = try await session.requireStore()
        let cutoff = try before.map { try RecordFilter.time($0, calendar: .gregorian, now: Date(), option: "--before") }
        if !yes {
            let what = cutoff.map { "records before \(RecordCalendar.gregorian.text($0))" } ?? "every record"
            // Asked in the shell; anywhere else (a one-shot, a script) --yes says it.
            guard session.isInteractive, let confirm = session.confirm else {
                throw SimshError.usage("events purge would delete \(what) from \(store.location): add --yes")
            }
            guard confirm("delete \(what) from \(store.location)? [y/N] ") else {
                session.output.line("nothing deleted")
                return
            }
        }
        let count = try await Session.storeCall { () async throws(StoreError) in try await store.purge(before: cutoff) }
        session.output.line("deleted \(count) record\(count == 1 ? "" : "s") from \(store.location)")
    }
}

extension EventsPurge: Exemplified {
    static let group = HelpGroup.events
    static let examples = [
        CommandExample(
            "Delete what is older than a week:",
            "simsh> events purge --before 7d --yes")
    ]
}
