import ArgumentParser
import SimotelKit
import SimshLanguage
import SimshRuntime

struct Describe: ShellCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show an API service: method, path, fields, types, required marks, allowed values, a sample body",
        discussion: """
            Give the command words (describe users add) or the path under /api/v4/ (describe pbx/users/add). \
            Required marks follow api-v4.md: R required, L normally sent, O optional. \
            Without an argument, lists every service.
            """
    )

    @Argument(help: ArgumentHelp("Command words or a path", valueName: ValueKind.commandOrPath))
    var target: [String] = []

    func run(in session: Session) async throws {
        guard !target.isEmpty else {
            let width = EndpointCatalog.all.map(\.command.count).max() ?? 0
            for e in EndpointCatalog.all {
                session.output.line(
                    e.command.padding(toLength: width, withPad: " ", startingAt: 0)
                        + "  \(e.method) \(e.path)  \(e.summary)")
            }
            return
        }
        let spec =
            EndpointCatalog.endpoint(words: target)
            ?? (target.count == 1 ? EndpointCatalog.endpoint(path: target[0]) : nil)
        guard let spec else {
            throw SimshError.usage("no API service '\(target.joined(separator: " "))' (describe lists them)")
        }
        if session.outputMode == .json {
            session.output.json(.text, Self.json(spec))
            return
        }
        var rows: [(String, String)] = [
            ("command", spec.command), ("request", spec.requestLine), ("summary", spec.summary),
        ]
        switch spec.body {
        case .json: rows.append(("body", "JSON object"))
        case .upload: rows.append(("body", "multipart/form-data, one part named file"))
        case .download: rows.append(("body", "JSON object; the answer is the file's bytes (404 when missing)"))
        }
        switch spec.paging {
        case .none: break
        case .pages: rows.append(("paging", "pagination.start / count / sorting; --all fetches every page"))
        case .cursor: rows.append(("paging", "cursor: _id = last_id of the previous answer, 20 records each"))
        }
        if spec.destructive { rows.append(("confirm", "asks before running in the shell (--yes skips)")) }
        session.output.keyValues(rows)
        guard !spec.fields.isEmpty else { return }
        session.output.line("")
        let nameWidth = spec.fields.map(\.name.count).max() ?? 0
        for f in spec.fields {
            var line = "  \(f.need.rawValue) " + f.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            line += "  " + f.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            if !f.allowed.isEmpty { line += "  one of " + f.allowed.joined(separator: "|") }
            if !f.help.isEmpty { line += "  " + f.help }
            session.output.line(line)
        }
        session.output.line("")
        session.output.line("sample body:")
        session.output.line(spec.sampleBody.serialized(pretty: true))
    }

    static func json(_ spec: EndpointSpec) -> JSONValue {
        .object([
            ("command", .string(spec.command)), ("method", .string(spec.method)), ("path", .string(spec.path)),
            ("summary", .string(spec.summary)), ("body", .string(spec.body.rawValue)),
            ("paging", .string(spec.paging.rawValue)),
            ("example", .string(APICommand.example(spec).lines[0].replacingOccurrences(of: "simsh demo> ", with: ""))),
            (
                "fields",
                .array(
                    spec.fields.map { f in
                        .object([
                            ("name", .string(f.name)), ("type", .string(f.kind.rawValue)),
                            ("need", .string(f.need.rawValue)),
                            ("allowed", .array(f.allowed.map(JSONValue.string))), ("sample", f.sample ?? .null),
                        ])
                    })
            ),
            ("sample", spec.sampleBody),
        ])
    }
}

extension Describe: Exemplified {
    static let group = HelpGroup.api
    static let examples = [
        CommandExample(
            "What a service takes (R required, L listed, O optional):",
            "simsh demo> describe users add",
            "command  users add",
            "request  POST /api/v4/pbx/users/add",
            "summary  Create an extension")
    ]
}
