import SimotelKit

/// What only a terminal gets: colour on standard output and long text through a pager.
extension Output {
    /// The colours of what goes to standard output (off unless `colorOutput`).
    public var style: Style { Style(enabled: colorOutput) }

    /// Long text (a help page, a table) through the sink's pager when it has one (the shell on a
    /// terminal) and the text is longer than the screen; written as lines otherwise (with
    /// `--output json`, one `text` object a line). Masked and made safe as every write is.
    public func page(_ text: String) {
        if jsonMode || quiet {
            for l in text.split(separator: "\n", omittingEmptySubsequences: false) { line(String(l)) }
            return
        }
        let safe = Self.terminalSafe(secrets?.redact(text) ?? text, keepColour: colorOutput) + "\n"
        if !sink.page(safe) { sink.write(safe, toError: false) }
    }

    /// A JSON value indented, its keys, strings and numbers coloured on a colour terminal.
    public func pretty(_ value: JSONValue) {
        line(style.json(value.serialized(pretty: true)))
    }
}
