import SimshLanguage

/// Renders errors in one place: `file.simsh:12:5: error: message`, red on a colour terminal.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// The colours of diagnostics (labels red, yellow and cyan; the place bold).
    public var style: Style { Style(enabled: color) }

    public func render(_ error: SimshError) -> String {
        let label = error.labeled ? style.errorLabel("error:") + " " : ""
        var text = label + error.message
        if let location = error.location {
            let place = style.bold("\(location):")
            text = "\(place) " + text
        }
        if let snippet = error.snippet, error.location != nil {
            text += "\n" + Self.caret(snippet).map { "    " + $0 }.joined(separator: "\n")
        }
        return text
    }

    /// The line and a caret line under it (tabs kept so the caret lines up).
    static func caret(_ s: SimshError.Snippet) -> [String] {
        // A long line is shown as a window around the caret.
        let width = 120
        var line = Array(s.line)
        var column = max(1, s.column)
        var prefix = ""
        if line.count > width {
            let start = max(0, min(column - 1 - width / 3, line.count - width))
            if start > 0 { prefix = "…" }
            line = Array(line[start..<min(line.count, start + width)]) + (start + width < s.line.count ? ["…"] : [])
            column -= start
            if start > 0 { column += 1 }
        }
        let shown = prefix + String(line)
        let before = Array(shown).prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " }.joined()
        let length = max(1, min(s.length, Array(shown).count - (column - 1)))
        return [shown, before + "^" + String(repeating: "~", count: max(0, length - 1))]
    }

    public func note(_ text: String) -> String {
        style.noteLabel("note:") + " " + text
    }

    public func warning(_ text: String) -> String {
        style.warningLabel("warning:") + " " + text
    }
}
