import SimotelKit

/// `help script`, `help events`, `help api`: pages of the language, the webhook events and the API.
/// The first two are written by hand in mdoc (`Pages/`, embedded in the binary; `scripts/man` puts
/// them in `man/`); the API page is made from the endpoint catalog here, for `help api` and (with
/// `help api --mdoc`) for `scripts/man`.
struct HelpTopic: Sendable {
    var name: String
    /// `simsh-script(5)`.
    var page: String
    var mdoc: @Sendable () -> String

    /// The page laid out as `man` shows it at 80 columns.
    var text: String { rendered(width: 78) }

    /// The page laid out for a terminal `width + 2` columns wide (mandoc's margin).
    func rendered(width: Int) -> String { ManPageText.render(mdoc(), width: width) }

    static let all = [
        HelpTopic(name: "script", page: "simsh-script(5)") {
            String(decoding: PackageResources.simsh_script_5, as: UTF8.self)
        },
        HelpTopic(name: "events", page: "simsh-events(7)") {
            String(decoding: PackageResources.simsh_events_7, as: UTF8.self)
        },
        HelpTopic(name: "api", page: "simsh-api(7)") { apiPage() },
    ]

    static func named(_ name: String) -> HelpTopic? { all.first { $0.name == name.lowercased() } }

    /// simsh-api(7) without its date (`scripts/man` adds the pages' one date).
    static func apiPage() -> String {
        var lines = [
            ".Dt SIMSH-API 7", ".Os", ".Sh NAME", ".Nm simsh-api",
            ".Nd every Simotel API v4 service as a simsh command", ".Sh DESCRIPTION",
            "Each service of Simotel's API v4 is a command named by resource and action.",
            "Fields are given as", ".Ql field=value", "(a string),", ".Ql field:=JSON",
            "(a raw JSON value) or one JSON body; dotted names nest", ".Pq Ql forward_policy.Busy=571 .",
            "A missing required field, an unknown field or a value outside the allowed set stops the command",
            "before anything is sent, with exit status 2.", "Paged searches take",
            ".Fl -start , Fl -count , Fl -sort Ar FIELD Ns Op :desc", "and", ".Fl -all ;", "downloads take",
            ".Fl -out Ar FILE ;", "destructive actions ask first in the shell unless", ".Fl -yes .",
            "On a terminal a search's answer is a table fitted to its width: dates and times stay whole,",
            "id-like columns are shortened first, then the widest others, and columns that still do not fit",
            "are left out, which the count line says;", ".Fl -columns Ar a,b,c", "chooses the columns and",
            ".Fl -wide", "keeps every cell whole.",
            "Required marks: R required, L normally sent, O optional.",
            "This page is generated from the same catalog as", ".Ic describe", "and the simulator.", ".Sh SERVICES",
        ]
        for spec in EndpointCatalog.all {
            lines += [
                ".Ss " + escaped(spec.command), escaped(spec.summary) + ":",
                ".Li \(spec.method) /api/v4/\(spec.path)",
            ]
            if !spec.fields.isEmpty {
                lines.append(".Bl -tag -width Ds -compact")
                for f in spec.fields {
                    var text = "\(f.need.rawValue) \(f.kind.rawValue)"
                    if !f.allowed.isEmpty { text += ", one of " + f.allowed.joined(separator: ", ") }
                    lines += [".It Li " + escaped(f.name), escaped(text)]
                }
                lines.append(".El")
            }
            let example = APICommand.example(spec).lines[0].replacingOccurrences(of: "simsh demo> ", with: "")
            lines += ["Example:", ".Dl " + escaped(example)]
        }
        lines += [".Sh SEE ALSO", ".Xr simsh 1 ,", ".Xr simsh-call 1 ,", ".Xr simsh-describe 1"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text as mdoc reads it: a backslash escaped, a leading `.` or `'` made literal.
    static func escaped(_ text: String) -> String {
        let s = text.replacingOccurrences(of: "\\", with: "\\e")
        return s.hasPrefix(".") || s.hasPrefix("'") ? "\\&" + s : s
    }
}
