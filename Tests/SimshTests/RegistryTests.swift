import ArgumentParser
import Testing

@testable import SimshCore

@Suite struct RegistryTests {
    @Test func registryIsSortedAndUnique() {
        let names = CommandRegistry.names
        #expect(names == names.sorted())
        #expect(Swift.Set(names).count == names.count)
    }

    @Test func everyCommandRunsInTheShell() {
        func check(_ type: ParsableCommand.Type) {
            #expect(type is ShellCommand.Type, "\(type) is not a ShellCommand")
            for sub in type.configuration.subcommands { check(sub) }
        }
        for c in CommandRegistry.commands { check(c) }
    }

    @Test func abstractsHaveNoTrailingPeriod() {
        for c in CommandRegistry.commands {
            #expect(!c.configuration.abstract.hasSuffix("."), "\(c._commandName)")
            #expect(!c.configuration.abstract.isEmpty)
        }
    }

    @Test func suggestions() {
        #expect(CommandRegistry.suggestion(for: "pnig") == "ping")
        #expect(CommandRegistry.suggestion(for: "conect") == "connect")
        #expect(CommandRegistry.suggestion(for: "zzzzzz") == nil)
    }
}
