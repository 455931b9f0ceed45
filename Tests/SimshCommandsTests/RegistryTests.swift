import ArgumentParser
import Testing

@testable import SimshCommands

@Suite struct RegistryTests {
    @Test func registryIsSortedAndUnique() {
        let names = CommandTable.builtinNames
        #expect(names == names.sorted())
        #expect(Swift.Set(names).count == names.count)
    }

    @Test func everyCommandRunsInTheShell() {
        func check(_ type: ParsableCommand.Type) {
            #expect(type is ShellCommand.Type, "\(type) is not a ShellCommand")
            for sub in type.configuration.subcommands { check(sub) }
        }
        for c in CommandTable.builtins { check(c) }
    }

    @Test func abstractsHaveNoTrailingPeriod() {
        for c in CommandTable.builtins {
            #expect(!c.configuration.abstract.hasSuffix("."), "\(c.declaredName)")
            #expect(!c.configuration.abstract.isEmpty)
        }
    }

    @Test func suggestions() {
        #expect(CommandTable.suggestion(for: "pnig") == "ping")
        #expect(CommandTable.suggestion(for: "conect") == "connect")
        #expect(CommandTable.suggestion(for: "zzzzzz") == nil)
    }
}
