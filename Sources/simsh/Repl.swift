import Foundation
import LineEditor
import SimshCommands
import SimshLanguage
import SimshRuntime

/// The interactive loop: read with libedit, record history, run, print errors, go on.
struct Repl {
    let session: Session
    let interpreter: Interpreter
    let interrupts: Interrupts
    let sink: StdioSink

    func run() async -> Int32 {
        let editor = makeEditor()
        sink.editor = editor
        defer { sink.editor = nil }
        attach(editor)
        banner()
        // Through the sink: a status line (`waiting for …`) is taken off before the new line.
        interrupts.onInterrupt = { [sink] in sink.write("\n", toError: false) }

        var pending = ""
        var warnedHistory = false
        var lastStatus: Int32 = 0
        while true {
            let prompt =
                pending.isEmpty
                ? session.prompt : String(repeating: " ", count: max(0, session.prompt.count - 3)) + "-> "
            switch await editor.readLine(prompt: prompt) {
            case .endOfFile:
                session.output.raw("\n")
                return 0
            case .interrupted:
                session.output.raw("\n")
                pending = ""
                continue
            case .line(let line):
                pending += pending.isEmpty ? line : "\n" + line
            }
            if Interpreter.needsMoreInput(pending) { continue }
            let entry = pending
            pending = ""
            // This session recalls the line as typed; the file keeps it with its secrets masked.
            if let recalled = HistoryStore.recall(for: entry) { editor.addHistory(recalled) }
            do {
                try session.history.record(session.secrets.redact(entry))
            } catch {
                if !warnedHistory { session.output.warning("history not saved: \(SimshError.from(error).message)") }
                warnedHistory = true
            }
            let outcome = await interrupts.cancellable { [interpreter] in await interpreter.runInteractive(entry) }
            switch outcome {
            case .exit(let status): return status
            case .status(let status): lastStatus = status
            }
            session.recordEntry(entry, status: lastStatus)
            _ = lastStatus
        }
    }

    /// The line editor, completing with what the session knows (profiles, recent IDs).
    func makeEditor() -> LineEditor {
        let engine = CompletionEngine(
            profileNames: { [session] in session.knownProfileNames() }, recentIDs: { [session] in session.recentIDs() },
            savedProfileNames: { [session] in (try? session.profiles.load().profiles.map(\.name)) ?? [] },
            variableValue: { [session] in session.value(path: $0) },
            variableNames: { [session] in Array(session.variables.keys) })
        return LineEditor(programName: "simsh") { line in
            let r = engine.complete(line)
            return Completion(word: r.word, candidates: r.candidates, appendSpace: r.appendSpace)
        }
    }

    /// Hooks the session to the editor (history clearing, yes/no questions) and loads the history.
    func attach(_ editor: LineEditor) {
        session.onHistoryCleared = { editor.clearHistory() }
        session.confirm = { question in
            StdioSink.writeAll(1, question)
            // Ctrl-C cancels the command's task: the question is answered "no" at once.
            let answer =
                Terminal.readRawLine(0, cancelled: { Task.isCancelled })?.trimmingCharacters(in: .whitespaces)
                .lowercased() ?? ""
            return answer == "y" || answer == "yes"
        }
        do {
            editor.loadHistory(try session.history.entries())
        } catch {
            session.output.warning("history not loaded: \(SimshError.from(error).message)")
        }
    }

    func banner() {
        var text = "simsh \(SimshVersion.text) — the Simotel shell."
        if let active = session.active {
            let what =
                session.isDemo
                ? "the embedded Simotel simulator at \(active.connection.root) (profile demo)"
                : active.connection.root + (active.name.map { " (profile \($0))" } ?? "")
            text += " Connected to \(what)."
        } else {
            text += " Not connected: connect URL, or connect PROFILE."
        }
        var lines = [text]
        if session.isDemo, let url = session.listener?.url {
            lines.append("Listening at \(url) for events and components without a url.")
        }
        lines.append("Type help for commands, Tab to complete, Ctrl-R to search history, Ctrl-D to quit.")
        // At word boundaries: a terminal would cut a word at its edge.
        for line in lines { session.output.line(HelpText.wrapped(line, in: session)) }
    }
}
