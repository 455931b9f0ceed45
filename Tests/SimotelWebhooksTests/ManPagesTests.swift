import Foundation
import SimotelKit
import SimotelWebhooks
import SimshTesting
import Testing

/// simsh-events(7) is written by hand: it must not drift from the catalog the listener uses.
@Suite struct EventsPageTests {
    @Test func theEventsPageNamesEveryEventItsKeyFieldsAndEveryDelivery() throws {
        let page = try String(contentsOfFile: packageRoot + "/man/simsh-events.7", encoding: .utf8)
        #expect(EventCatalog.all.count == 19)
        for kind in EventCatalog.all {
            let line = page.split(separator: "\n").drop { $0 != ".It Sy \(kind.name)" }.dropFirst(2).first ?? ""
            #expect(page.contains(".It Sy \(kind.name)\n"), "\(kind.name) is not on the page")
            let keys = kind.keyFields.isEmpty ? "(none)" : kind.keyFields.joined(separator: ", ")
            #expect(line == "Key fields: \(keys).", "\(kind.name): \(line)")
        }
        for variant in ["G4 GET", "G4 POST", "Rest4 GET", "Rest4 POST", "G3/POST-form", "G3/POST-query"] {
            #expect(page.contains(variant), "\(variant)")
        }
        for field in ["src", "dst", "data", "unique_id", "app_name", "originated_call_id"] {
            #expect(page.contains(".It Li \(field)\n"), "\(field)")
        }
        for kind in ComponentKind.allCases { #expect(page.contains(".It \(kind.title)\n"), "\(kind.title)") }
    }
}

/// simsh(1) (issue 12, point 1): every mode in the synopsis, the shell's options, the environment
/// and files, exit status, examples and the other sections' pages, in mdoc's order; and every
/// page renders with man.
@Suite struct ManPageTests {
    @Test func theSimshPageHasEverySectionInOrder() throws {
        let page = try String(contentsOfFile: packageRoot + "/man/simsh.1", encoding: .utf8)
        let sections = page.split(separator: "\n").filter { $0.hasPrefix(".Sh ") }.map { String($0.dropFirst(4)) }
        #expect(
            sections == [
                "NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "FILES", "\"EXIT STATUS\"", "EXAMPLES",
                "\"SEE ALSO\"",
            ])
        for mode in [
            "[--demo | -p PROFILE]", "-c COMMANDS | FILE.simsh", "simulator [--port PORT]", "test [PATH]...",
            "COMMAND [ARG]...",
        ] {
            #expect(page.contains(mode), "\(mode)")
        }
        for variable in [
            "SIMSH_CONFIG", "SIMSH_HISTFILE", "SIMSH_URL", "SIMSH_USER", "SIMSH_PASSWORD", "SIMSH_API_KEY",
            "SIMSH_VAR_NAME", "NO_COLOR", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
        ] {
            #expect(page.contains(".It Ev \(variable)\n"), "\(variable)")
        }
        for option in [".It Fl c Ar commands", ".It Fl -demo", ".It Fl p , -profile", ".It Fl -output"] {
            #expect(page.contains(option), "\(option)")
        }
        for other in [".Xr simsh-script 5 ,", ".Xr simsh-api 7 ,", ".Xr simsh-events 7"] {
            #expect(page.contains(other))
        }
    }
}
