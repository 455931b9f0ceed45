import CEditLine
import Foundation

extension LineEditor {
    /// On the editor thread, inside el_gets: moves to the first row of the prompt, clears to the
    /// end of the screen, prints the queued messages, and lets libedit redraw prompt and line.
    func printPendingMessages() {
        let messages = messageLock.withLock { () -> [String] in
            defer { pendingMessages.removeAll() }
            return pendingMessages
        }
        guard !messages.isEmpty, let el else { return }
        let columns = Int(simsh_terminal_columns(STDOUT_FILENO))
        let promptWidth = Self.displayWidth(context.pointee.prompt.map { String(cString: $0) } ?? "")
        var cursorColumns = promptWidth
        if let info = el_line(el) {
            let before = Self.text(info.pointee.buffer, info.pointee.cursor)
            cursorColumns += Self.displayWidth(before)
        }
        let row = columns > 0 ? cursorColumns / columns : 0
        var out = "\r"
        if row > 0 { out += "\u{1B}[\(row)A" }
        out += "\u{1B}[J"
        for m in messages { out += m.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n" }
        writeOut(out)
        simsh_el_refresh(el)
    }

    static func text(_ start: UnsafePointer<CChar>?, _ end: UnsafePointer<CChar>?) -> String {
        guard let start, let end, end > start else { return "" }
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(start).assumingMemoryBound(to: UInt8.self), count: end - start)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Columns a text takes on the terminal (escape sequences take none; wide CJK take two).
    static func displayWidth(_ s: String) -> Int {
        var width = 0
        var inEscape = false
        for scalar in s.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" {
                inEscape = true
                continue
            }
            if scalar.value < 0x20 { continue }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let v = scalar.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
            width += wide ? 2 : 1
        }
        return width
    }

    /// Ctrl-C while editing: show ^C, and make el_gets return so the line is discarded.
    func interrupt() -> UInt8 {
        interruptFlag = true
        writeOut("^C")
        return UInt8(CC_NEWLINE)
    }
}
