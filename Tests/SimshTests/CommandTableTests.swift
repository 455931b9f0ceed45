import ArgumentParser
import Foundation
import SimotelKit
import SimshTesting
import Testing

@testable import SimshCommands
@testable import SimshLanguage
@testable import SimshRuntime

/// One command table (issue 9, point 1): every catalog row and every declared built-in is
/// resolved, run, helped, completed and documented through `CommandTable` alone, so adding a
/// service is one catalog row and adding a built-in one file and one line in the table.
@Suite struct CommandTableTests {
    let engine = CompletionEngine(profileNames: { [] })

    /// Every built-in of the table, with the words that name it (`["profile", "save"]`).
    static func builtins() -> [(words: [String], type: any ParsableCommand.Type)] {
        var found: [(words: [String], type: any ParsableCommand.Type)] = []
        func visit(_ type: any ParsableCommand.Type, _ words: [String]) {
            found.append((words, type))
            for sub in type.configuration.subcommands { visit(sub, words + [sub.declaredName]) }
        }
        for type in CommandTable.builtins { visit(type, [type.declaredName]) }
        return found
    }

    static func output(_ line: String) async -> (status: Int32, text: String) {
        let t = TestSession()
        let status = await t.run(line)
        return (status, t.sink.all)
    }

    @Test func everyServiceIsOneRowFoundEverywhere() async throws {
        let api = try String(contentsOfFile: packageRoot + "/man/simsh-api.7", encoding: .utf8)
        #expect(engine.complete("").candidates.contains(EndpointCatalog.resources[0]))
        for spec in EndpointCatalog.all {
            let resolution = try #require(CommandTable.resolve(spec.words + ["x=1"]), "\(spec.command)")
            guard case .service(let found) = resolution.target else {
                // `ping` is a built-in that calls its service.
                if case .builtin(let type) = resolution.target, [type.declaredName] == spec.words { continue }
                Issue.record("\(spec.command) does not resolve to its service")
                continue
            }
            #expect(found.path == spec.path && resolution.depth == spec.words.count, "\(spec.command)")
            // The same help from `help WORDS` and `WORDS --help`.
            let help = await Self.output("help \(spec.command)")
            let dashHelp = await Self.output("\(spec.command) --help")
            #expect(help.status == 0 && help.text == dashHelp.text, "\(spec.command)")
            #expect(help.text.contains(spec.summary), "\(spec.command)")
            // Completion offers each word after the ones before it.
            for i in spec.words.indices {
                let line = spec.words.prefix(i).map { $0 + " " }.joined()
                #expect(engine.complete(line).candidates.contains(spec.words[i]), "'\(line)' → \(spec.words[i])")
                #expect(
                    engine.complete("help " + line).candidates.contains(spec.words[i]),
                    "'help \(line)' → \(spec.words[i])")
            }
            #expect(api.contains(".Ss \(spec.command)\n"), "simsh-api(7) lacks \(spec.command)")
        }
    }

    @Test func everyBuiltinIsOneFileAndOneTableLine() async throws {
        for (words, type) in Self.builtins() {
            let path = words.joined(separator: " ")
            let resolution = try #require(CommandTable.resolve(words), "\(path)")
            guard case .builtin(let found) = resolution.target else {
                Issue.record("\(path) does not resolve to its declaration")
                continue
            }
            #expect(ObjectIdentifier(found) == ObjectIdentifier(type) && resolution.depth == words.count, "\(path)")
            let help = await Self.output("help \(path)")
            let dashHelp = await Self.output("\(path) --help")
            // `help events` is the topic's page (simsh-events(7)); `events --help` the command's.
            let isTopic = HelpTopic.all.contains { $0.name == path }
            #expect(help.status == 0 && (help.text == dashHelp.text || isTopic), "\(path)")
            // Help wraps lines at the terminal's width.
            let flat = dashHelp.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(flat.contains(type.configuration.abstract), "\(path)")
            guard type.configuration.shouldDisplay else { continue }
            let before = words.dropLast().map { $0 + " " }.joined()
            #expect(engine.complete(before).candidates.contains(words.last!), "'\(before)' → \(words.last!)")
            #expect(engine.complete("help " + before).candidates.contains(words.last!), "'help \(before)'")
            #expect(
                FileManager.default.fileExists(atPath: "\(packageRoot)/man/simsh-\(words.joined(separator: "-")).1"),
                "no man page for \(path)")
        }
    }

    /// A command declared in a file of `Commands/` but missing from the table (or from its
    /// parent's subcommands) fails here; so does a file declaring two commands.
    /// Every built-in has examples (issue 12, point 2): `help`, `--help` and its man page show
    /// the same ones, and every line typed in them is a command that parses as written.
    @Test func everyBuiltinHasExamplesThatParseAndItsPageShowsThem() throws {
        for (words, type) in Self.builtins() {
            let path = words.joined(separator: " ")
            guard let examples = (type as? Exemplified.Type)?.examples, !examples.isEmpty else {
                Issue.record("\(path) has no examples")
                continue
            }
            let help = CommandTable.help(try #require(CommandTable.resolve(words)))
            #expect(help.hasSuffix(Examples.text(examples)), "\(path)")
            if type.configuration.shouldDisplay {
                let page = try String(
                    contentsOfFile: "\(packageRoot)/man/simsh-\(words.joined(separator: "-")).1", encoding: .utf8)
                #expect(page.contains(".Sh EXAMPLES\n\(examples[0].what)\n.Bd -literal"), "\(path): page is stale")
            }
            for example in examples {
                let prompted = example.lines.compactMap { line in
                    line.range(of: #"^simsh( [\w.-]+)?> "#, options: .regularExpression).map {
                        String(line[$0.upperBound...])
                    }
                }
                let typed = prompted.isEmpty ? example.lines : prompted
                for line in typed {
                    let commands = try Lexer.parse(line, file: "example")
                    guard let command = commands.first, let first = command.keyword else { continue }
                    // Block keywords and checks are the statement parser's; words are checked below.
                    if ["if", "elif", "else", "end", "repeat", "retry", "expect"].contains(first) { continue }
                    if first == "set", command.words.count > 2, command.words[2].literalText == "=" { continue }
                    let texts = command.words.map { word in
                        word.literalText ?? String(
                            line.utf8[
                                line.utf8.index(
                                    line.utf8.startIndex, offsetBy: word.sourceRange.lowerBound)..<line.utf8.index(
                                        line.utf8.startIndex, offsetBy: word.sourceRange.upperBound)]) ?? ""
                    }
                    guard let resolution = CommandTable.resolve(texts) else {
                        Issue.record("\(path): example '\(line)' names no command")
                        continue
                    }
                    guard case .builtin(let declared) = resolution.target else { continue }
                    let rest = Array(texts[resolution.depth...])
                    do {
                        _ = try ManyWordsParsing.parse(declared, rest) ?? declared.parseAsRoot(rest)
                    } catch {
                        Issue.record("\(path): example '\(line)' does not parse: \(declared.message(for: error))")
                    }
                }
            }
        }
    }

    /// Every API service has an example generated from the catalog, shown by help and
    /// simsh-api(7), that builds a valid request (fields known, required ones given, values allowed).
    @Test func everyServiceHasAnExampleThatBuildsItsRequest() throws {
        let page = try String(contentsOfFile: "\(packageRoot)/man/simsh-api.7", encoding: .utf8)
        for spec in EndpointCatalog.all {
            let example = APICommand.example(spec)
            #expect(APICommand.help(spec).hasSuffix(Examples.text(example)), "\(spec.command)")
            let line = try #require(example.lines.first?.replacingOccurrences(of: "simsh demo> ", with: ""))
            #expect(
                page.contains(".Dl \(line.replacingOccurrences(of: "\\", with: "\\e"))\n"),
                "\(spec.command): page is stale")
            let words = try #require(Lexer.parse(line, file: "example").first).words.map { $0.literalText ?? "" }
            let resolution = try #require(CommandTable.resolve(words), "\(line)")
            if case .builtin = resolution.target { continue }  // `ping`: the built-in has its own examples
            guard case .service(let found) = resolution.target, found.path == spec.path else {
                Issue.record("\(line) does not name \(spec.command)")
                continue
            }
            do {
                let options = try ManyWordsParsing.parseOptions(Array(words[resolution.depth...]))
                // An upload's first word is the file.
                _ = try EndpointRequest(spec: spec).build(Array(options.fields.dropFirst(spec.body == .upload ? 1 : 0)))
            } catch {
                Issue.record("\(line): \(error)")
            }
        }
    }

    /// `help` lists every shown built-in once, under its group, then the topics; `help TOPIC`
    /// shows the topic's page; an unknown one is answered with the nearest name (issue 12, point 4).
    @Test func helpListsCommandsByGroupAndShowsTopics() async throws {
        let listing = await Self.output("help").text
        let headings = HelpGroup.allCases.map { $0.title + ":" }
        var group: String?
        var seen: [String: String] = [:]
        for line in listing.split(separator: "\n").map(String.init) {
            if headings.contains(line) {
                group = line
            } else if line.hasPrefix("  "), let group, let word = line.split(separator: " ").first, !word.hasSuffix(",")
            {
                #expect(seen.updateValue(group, forKey: String(word)) == nil, "\(word) listed twice")
            }
        }
        for type in CommandTable.builtins where type.configuration.shouldDisplay {
            let expected = (type as? Exemplified.Type).map { $0.group.title + ":" }
            #expect(seen[type.declaredName] == expected, "\(type.declaredName)")
        }
        for topic in HelpTopic.all {
            #expect(listing.contains("help \(topic.name) (\(topic.page))"))
            let shown = await Self.output("help \(topic.name)").text
            #expect(shown.hasPrefix("NAME\n") && shown.contains(topic.page.prefix { $0 != "(" }), "\(topic.name)")
        }
        let wrong = await Self.output("help scrpt")
        #expect(wrong.status == 2 && wrong.text.contains("did you mean 'script'?"), "\(wrong.text)")
    }

    @Test func everyDeclaredCommandIsInTheTable() throws {
        let dir = packageRoot + "/Sources/SimshCommands/Commands"
        let inTable = Swift.Set(Self.builtins().map { String(describing: $0.type) })
        let declaration = try NSRegularExpression(
            pattern: #"^(?:public )?struct (\w+): (?:ShellCommand|CommandGroup|ScriptStatement)"#,
            options: .anchorsMatchLines)
        var declared = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let names = declaration.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
                String(text[Range($0.range(at: 1), in: text)!])
            }
            #expect(names.count <= 1, "\(file) declares \(names.count) commands: one command, one file")
            for name in names {
                declared += 1
                #expect(
                    inTable.contains(name),
                    "\(name) (\(file)) is not in CommandTable.builtins or a parent's subcommands")
            }
        }
        #expect(declared == Self.builtins().count)
    }

    /// Outside a command's own file, nothing knows its name: help, completion, the interpreter
    /// and the command line go through the table. (The exceptions are words argument-parser or
    /// the language itself gives meaning to.)
    @Test func noLayerNamesABuiltinOnItsOwn() throws {
        let allowed: Swift.Set<String> = [
            "help@CommandCatalog.swift",  // argument-parser's generated `help` subcommand
            "help@Main.swift",  // `simsh help CMD` on the command line, argument-parser's word
            "profile@ValueKind.swift",  // the value name of profile arguments
            "set@Redactor.swift",  // `set NAME secret` is masked in history
            "record@Recorder.swift",  // a recording leaves out the command that makes it
            "exit@CheckReports.swift",  // a JUnit failure's type when a file ended by its exit status
            "if@Keyword.swift", "repeat@Keyword.swift", "retry@Keyword.swift", "expect@Keyword.swift",
            "set@Keyword.swift",  // the language's own words, which the statements' declarations take
            "call@Keyword.swift", "events@Keyword.swift",  // `expect call …`, `expect events …`
            "call@VariableName.swift",  // `$call`, which originate sets
            "answer@Session+Store.swift",  // a stored API request's answer, a key of its record
        ]
        // Also a key of every answer (`$response.status`), or a typed value (`$reply`), not only the command.
        let ambiguous: Swift.Set<String> = ["status", "secret", "reply"]
        let dirs = [
            "Sources/SimshLanguage", "Sources/SimshRuntime", "Sources/SimshCommands/Table", "Sources/SimshCommands/API",
            "Sources/SimshChecks", "Sources/simsh",
        ]
        for dir in dirs {
            let paths = try FileManager.default.subpathsOfDirectory(atPath: packageRoot + "/" + dir)
            for path in paths where path.hasSuffix(".swift") {
                let file = (path as NSString).lastPathComponent
                let text = try String(contentsOfFile: "\(packageRoot)/\(dir)/\(path)", encoding: .utf8)
                    .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
                    .joined(separator: "\n")
                for name in CommandTable.builtinNames where !ambiguous.contains(name) && text.contains("\"\(name)\"") {
                    #expect(allowed.contains("\(name)@\(file)"), "\(dir)/\(file) names the built-in '\(name)'")
                }
            }
        }
    }

    @Test func optionsThatDoNotApplyAreRefusedAndNotOffered() async {
        for (line, option) in [
            ("users add number=1 --start 2", "--start"), ("users search --yes", "--yes"),
            ("users search --out f", "--out"),
        ] {
            let r = await Self.output(line)
            #expect(r.status == 2 && r.text.contains("\(option) applies only to"), "\(line): \(r.text)")
            let command = line.split(separator: " ").prefix(2).joined(separator: " ")
            #expect(!engine.complete(command + " --").candidates.contains(option), "\(command)")
        }
        #expect(engine.complete("reports quick --").candidates.contains("--start"))
        #expect(engine.complete("reports audio download --").candidates.contains("--out"))
    }
}
