import SimshTesting
import Testing

@testable import SimshCommands

/// `help script` and `help events` lay out the hand-written mdoc pages as mandoc does (word for
/// word the same text): the page source on the left, what the shell shows on the right.
@Suite struct ManPageTextTests {
    @Test func theMacrosThePagesUse() {
        let source = #"""
            .Dd November 26, 2026
            .Dt SIMSH-X 5
            .Os
            .Sh NAME
            .Nm simsh-x
            .Nd a page
            .Sh SYNOPSIS
            .Nm simsh
            .Ar file.simsh
            .Op Ar arg ...
            .Nm simsh
            .Fl c Ar commands
            .Sh DESCRIPTION
            Words
            .Pq see Xr simsh 1 ,
            and
            .Ql $1 , $2 , ...
            go
            .Dq here .
            .Ss Options
            .Bl -tag -width Ds
            .It Fl -var Ar NAME Ns = Ns Ar VALUE
            Sets a variable.
            .It Li ok
            Short.
            .El
            .Bd -literal -offset indent
            reply {"ok":"1"}
            .Ed
            .Bl -bullet -compact
            .It
            one \(sc1
            .El
            """#
        let expected = """
            NAME
                 simsh-x - a page

            SYNOPSIS
                 simsh file.simsh [arg ...]
                 simsh -c commands

            DESCRIPTION
                 Words (see simsh(1)), and '$1, $2, ...' go "here".

               Options

                 --var NAME=VALUE
                         Sets a variable.

                 ok      Short.
                       reply {"ok":"1"}
                 - one §1

            """
        #expect(ManPageText.render(source) == expected)
    }
}

/// The hand-written pages as `help` shows them hold mandoc's words, in mandoc's order (mandoc's
/// ASCII spellings of §, … and bullets aside).
@Suite struct HelpTopicPagesTests {
    static func words(_ text: String) -> [String] {
        text.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "<section>", with: "§")
            .replacingOccurrences(of: "<?>", with: "…").split(whereSeparator: { $0 == " " || $0 == "\n" })
            .map(String.init).filter { $0 != "o" && $0 != "-" }
    }

    @Test(arguments: ["script", "events"]) func mandocsWords(_ name: String) throws {
        let topic = try #require(HelpTopic.named(name))
        let page = packageRoot + "/man/" + topic.page.replacingOccurrences(of: "(", with: ".").dropLast()
        let mandoc = try ChildProcess("mandoc", ["-Tascii", "-Owidth=78", page])
        #expect(mandoc.wait(timeout: 30) == 0)
        let rendered = mandoc.stdout.replacing(#/.\x08/#, with: "").split(separator: "\n").dropFirst().dropLast()
        #expect(Self.words(topic.text) == Self.words(rendered.joined(separator: "\n")))
    }
}
