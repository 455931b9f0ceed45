import ArgumentParser
import Foundation
import SafeFiles
import SimotelKit
import SimshLanguage
import SimshRuntime

/// The options every catalog command takes after its `field=value` words.
struct APIOptions: ParsableArguments, ManyWords {
    static let positionalsBeforeWords = 0
    var manyWords: [String] {
        get { fields }
        set { fields = newValue }
    }

    @Argument(help: ArgumentHelp("field=value (string), field:=JSON, or one JSON body", valueName: "field=value"))
    var fields: [String] = []

    @Option(help: ArgumentHelp("First record (paged searches)", valueName: "n"))
    var start: Int?

    @Option(help: ArgumentHelp("How many records (paged searches)", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Sort by FIELD, ascending, or FIELD:desc", valueName: "field[:desc]"))
    var sort: String?

    @Flag(help: "Fetch every page")
    var all = false

    @Flag(help: "Do not ask before a destructive action")
    var yes = false

    @Flag(help: "Tables as wide as their contents, not cut to the terminal's width")
    var wide = false

    @Option(
        help: ArgumentHelp(
            "The table's columns, in this order (fields of the records; a dotted name reaches inside one)",
            valueName: "a,b,c"))
    var columns: String?

    @Option(help: ArgumentHelp("Write a download to this file", valueName: "file"), completion: .file())
    var out: String?
}

extension APIOptions {
    /// Whether an option applies to a service: the one place completion, help and the check
    /// before sending read. Paging options where the service pages, `--yes` where it is
    /// destructive, `--out` for downloads, `--wide` and `--columns` where answers can be tables.
    static func applies(_ option: String, to spec: EndpointSpec) -> Bool {
        switch option {
        case "--start", "--count", "--sort", "--all": return spec.paging == .pages
        case "--yes": return spec.destructive
        case "--out": return spec.body == .download
        case "--wide", "--columns": return spec.body == .json
        default: return true
        }
    }

    /// What an option applies to, for the message when it is given where it does not.
    static func appliesTo(_ option: String) -> String {
        switch option {
        case "--yes": return "destructive actions"
        case "--out": return "downloads"
        case "--wide", "--columns": return "services that answer JSON"
        default: return "searches that page"
        }
    }

    /// The declared options (`--start`, ..., `--out`), read from the declaration.
    static let declaredNames: [String] = CommandCatalog.arguments(of: APIOptions.self).flatMap(\.names)

    /// The options that apply to a service, as completion offers them.
    static func names(for spec: EndpointSpec) -> [String] { declaredNames.filter { applies($0, to: spec) } }

    /// The options given on this line.
    var given: [String] {
        [
            start.map { _ in "--start" }, count.map { _ in "--count" }, sort.map { _ in "--sort" },
            all ? "--all" : nil, yes ? "--yes" : nil, wide ? "--wide" : nil, columns.map { _ in "--columns" },
            out.map { _ in "--out" },
        ].compactMap { $0 }
    }

    /// `--columns a,b,c` as names (spaces around them dropped); nil without the option.
    var columnList: [String]? {
        columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }
}

/// Runs a catalog service from its command words (`users add number=100 …`).
enum APICommand {
    /// `users` and `users --help` list the actions; `users frob` names them (with a did-you-mean).
    static func explainActions(_ resolution: CommandTable.Resolution, arguments: [String], in session: Session) throws {
        let next = CommandTable.next(resolution)
        guard let action = arguments.first, action != "--help", action != "-h" else {
            session.output.line("\(resolution.path): one of")
            session.output.keyValues(next.map { ("  " + $0.word, $0.summary) })
            return
        }
        let words = next.map(\.word)
        if let near = EditDistance.nearest(action, among: words) {
            throw SimshError.usage("\(resolution.path): unknown action '\(action)'; did you mean '\(near)'?")
        }
        throw SimshError.usage(
            "\(resolution.path): unknown action '\(action)' (actions: \(words.joined(separator: ", ")))")
    }

    static func run(_ spec: EndpointSpec, arguments: [String], in session: Session) async throws {
        let options: APIOptions
        do {
            options = try ManyWordsParsing.parseOptions(arguments)
        } catch {
            if let failure = CommandTable.parseFailure(error, of: APIOptions.self, path: spec.command) { throw failure }
            HelpText.show(help(spec), in: session)
            return
        }
        if spec.destructive, session.isInteractive, !options.yes, session.active?.profile.confirm != false,
            let confirm = session.confirm
        {
            let what = options.fields.joined(separator: " ")
            guard confirm("\(spec.command)\(what.isEmpty ? "" : " " + what)? [y/N] ") else {
                session.output.line("not done")
                return
            }
        }
        if spec.body == .upload {
            try await upload(spec, options, in: session)
            return
        }
        if spec.body == .download && options.out == nil {
            throw SimshError.usage("\(spec.command): give --out FILE to save the download")
        }
        if let option = options.given.first(where: { !APIOptions.applies($0, to: spec) }) {
            throw SimshError.usage(
                "\(spec.command): \(option) applies only to \(APIOptions.appliesTo(option)) (see describe \(spec.command))"
            )
        }
        var body = try EndpointRequest(spec: spec).build(options.fields)
        body = spec.paged(
            body, start: options.start, count: options.count,
            sortBy: options.sort.map { sort in
                let parts = sort.split(separator: ":")
                return (String(parts[0]), parts.count > 1 && parts[1].lowercased() == "desc")
            })
        let client = try session.requireClient()
        if options.all && spec.paging == .pages {
            try await fetchAll(spec, body, options, client: client, in: session)
            return
        }
        let response = try await client.send(
            method: spec.method, path: spec.path, body: Array(body.serialized().utf8), saveTo: options.out)
        try ResponsePrinter(session: session, command: spec.command, wide: options.wide, columns: options.columnList)
            .show(response, out: options.out)
    }

    /// `--all`: pages through the whole result (pages of --count, 100 by default) and prints it as one answer.
    static func fetchAll(
        _ spec: EndpointSpec, _ first: JSONValue, _ options: APIOptions, client: SimotelClient, in session: Session
    ) async throws {
        let pageSize = options.count ?? 100
        var start = options.start ?? 0
        var rows: [JSONValue] = []
        var last: SimotelResponse?
        while true {
            try Task.checkCancellation()
            let body = spec.paged(first, start: start, count: pageSize)
            let response = try await client.send(
                method: spec.method, path: spec.path, body: Array(body.serialized().utf8))
            guard response.isSuccessStatus, let env = response.envelope, env.success != 0,
                case .array(let page)? = env.data["data"]
            else {
                try ResponsePrinter(session: session, command: spec.command).show(response)
                return
            }
            rows += page
            last = response
            let total = SimotelAPI.total(of: env.data) ?? 0
            if page.isEmpty || start + page.count >= total || rows.count >= 100_000 { break }
            start += page.count
        }
        guard var response = last, let env = response.envelope else { return }
        let merged = env.raw.setting(
            "data",
            to: spec.paged(env.data.setting("data", to: .array(rows)), start: options.start ?? 0, count: rows.count))
        response.body = Array(merged.serialized().utf8)
        try ResponsePrinter(session: session, command: spec.command, wide: options.wide, columns: options.columnList)
            .show(response)
    }

    /// `announcements upload FILE`: multipart with one part named `file`.
    static func upload(_ spec: EndpointSpec, _ options: APIOptions, in session: Session) async throws {
        guard options.fields.count == 1, let path = options.fields.first, !path.contains("=") else {
            throw SimshError.usage("\(spec.command): give one FILE to upload")
        }
        let data: [UInt8]
        do {
            guard let bytes = try SafeFile.read(path) else { throw SimshError.io("cannot read \(path): no such file") }
            data = bytes
        } catch let problem as FileProblem { throw SimshError.io(problem.description) }
        let client = try session.requireClient()
        let response = try await client.upload(
            path: spec.path, fileName: (path as NSString).lastPathComponent, bytes: data)
        try ResponsePrinter(session: session, command: spec.command).show(response)
    }

    static func help(_ spec: EndpointSpec) -> String {
        let required = spec.fields.filter { $0.need == .required }.map { "\($0.name)=…" }.joined(separator: " ")
        let file = spec.body == .upload ? "FILE " : ""
        let paging = spec.paging == .pages ? " [--start N] [--count N] [--sort FIELD[:desc]] [--all]" : ""
        let out = spec.body == .download ? " --out FILE" : ""
        let yes = spec.destructive ? " [--yes]" : ""
        return
            "USAGE: \(spec.command) \(file)\(required)\(required.isEmpty ? "" : " ")[field=value …]\(paging)\(out)\(yes)\n"
            + "\(spec.summary): \(spec.requestLine). describe \(spec.command) lists its fields."
            + Examples.text(example(spec))
    }

    /// A service's example, from the catalog: its required fields with the documentation's sample
    /// values (api-v4.md), and what else it needs (a file to upload, --out, --yes).
    static func example(_ spec: EndpointSpec) -> CommandExample {
        var words = [spec.command]
        if spec.body == .upload { words.append("recording.wav") }
        for field in spec.fields where field.need == .required {
            let sample: String
            switch field.sample {
            case .string(let s)?: sample = s
            case let value?: sample = value.serialized()
            case nil: sample = field.allowed.first ?? "1"
            }
            let quoted = sample.isEmpty || sample.contains(where: { " '\"$;#\\".contains($0) }) ? "'\(sample)'" : sample
            words.append("\(field.name)=\(quoted)")
        }
        if spec.paging == .pages { words.append("--count 10") }
        if spec.body == .download { words.append("--out file.wav") }
        if spec.destructive { words.append("--yes") }
        return CommandExample("\(spec.summary):", "simsh demo> " + words.joined(separator: " "))
    }
}
