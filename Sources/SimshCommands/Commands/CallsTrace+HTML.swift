import Foundation
import SimotelKit
import SimshRecords
import SimshRuntime

/// `calls trace ID --html FILE`: one self-contained page (nothing fetched, no script), a
/// sequence diagram in SVG with a lane for your app (simsh), Simotel, your webhook receiver and
/// each component service, then the records. Every text from a record is escaped.
enum CallTracePage {
    static let rowHeight = 30
    static let laneWidth = 190

    static func html(_ trace: CallTrace, id: String) -> String {
        let lanes = Self.lanes(trace)
        var h: [String] = [
            "<!DOCTYPE html>", "<html lang=\"en\">", "<head>", "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
            "<title>call \(Markup.escape(id))</title>", "<style>",
            "body{font-family:sans-serif;margin:2em;color:#222}svg text{font-size:12px;unicode-bidi:plaintext}",
            ".lane{stroke:#bbb;stroke-dasharray:4 3}.head{font-weight:bold}.arrow{stroke:#333;fill:none}",
            ".event{stroke:#6a1b9a}.component{stroke:#1565c0}.route{fill:#777}",
            "table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left;"
                + "vertical-align:top}pre{margin:0;white-space:pre-wrap;unicode-bidi:plaintext}",
            "</style>", "</head>", "<body>",
            "<h1>call \(Markup.escape(trace.keys.joined(separator: " = ")))</h1>",
            svg(trace, lanes: lanes),
            "<table id=\"records\">",
            "<tr><th>#</th><th>time</th><th>offset</th><th>kind</th><th>name</th><th>fields</th></tr>",
        ]
        for e in trace.entries {
            var fields = e.fields.serialized(pretty: true)
            if let reply = e.reply { fields += "\nreply: " + reply.serialized() }
            h.append(
                "<tr class=\"entry\"><td>\(e.id.map(String.init) ?? "")</td><td>\(Markup.escape(CallsTrace.json(e)["time"]?.displayText ?? ""))</td>"
                    + "<td>\(String(format: "%+.3f s", e.offsetMilliseconds / 1000))</td><td>\(e.kind.rawValue)</td>"
                    + "<td>\(Markup.escape(e.name))</td><td><pre>\(Markup.escape(fields))</pre></td></tr>")
        }
        h += ["</table>", "</body>", "</html>"]
        return h.joined(separator: "\n") + "\n"
    }

    /// The lanes: your app, Simotel, the webhook receiver, then one per component service.
    static func lanes(_ trace: CallTrace) -> [String] {
        var lanes = ["your app (simsh)", "Simotel", "webhook receiver"]
        for e in trace.entries where e.kind == .component {
            let name = service(e)
            if !lanes.contains(name) { lanes.append(name) }
        }
        return lanes
    }

    static func service(_ e: CallTrace.Entry) -> String {
        let app = e.fields["app_name"]?.displayText ?? ""
        return app.isEmpty ? "component service" : app
    }

    static func svg(_ trace: CallTrace, lanes: [String]) -> String {
        let width = lanes.count * laneWidth
        let height = (trace.entries.count + 2) * rowHeight
        func x(_ lane: Int) -> Int { lane * laneWidth + laneWidth / 2 }
        var s = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"diagram\" width=\"\(width)\" height=\"\(height)\" "
                + "viewBox=\"0 0 \(width) \(height)\">",
            "<defs><marker id=\"tip\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\">"
                + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#333\"/></marker></defs>",
        ]
        for (i, lane) in lanes.enumerated() {
            s.append("<text class=\"head\" x=\"\(x(i))\" y=\"16\" text-anchor=\"middle\">\(Markup.escape(lane))</text>")
            s.append("<line class=\"lane\" x1=\"\(x(i))\" y1=\"24\" x2=\"\(x(i))\" y2=\"\(height)\"/>")
        }
        for (row, e) in trace.entries.enumerated() {
            let y = (row + 1) * rowHeight + 14
            let label = Markup.escape(e.name) + (e.id.map { " #\($0)" } ?? "")
            let (from, to): (Int, Int)
            switch e.kind {
            case .request: (from, to) = (0, 1)
            case .event: (from, to) = (1, 2)
            case .component: (from, to) = (1, lanes.firstIndex(of: service(e)) ?? 3)
            case .route:
                s.append("<circle class=\"route\" cx=\"\(x(1))\" cy=\"\(y)\" r=\"3\"/>")
                s.append("<text class=\"route\" x=\"\(x(1) + 8)\" y=\"\(y + 4)\">\(label)</text>")
                continue
            }
            let (x1, x2) = (x(from), x(to))
            s.append(
                "<line class=\"arrow \(e.kind.rawValue)\" x1=\"\(x1)\" y1=\"\(y)\" x2=\"\(x2)\" y2=\"\(y)\" "
                    + "marker-end=\"url(#tip)\"/>")
            s.append("<text x=\"\((x1 + x2) / 2)\" y=\"\(y - 4)\" text-anchor=\"middle\">\(label)</text>")
        }
        s.append("</svg>")
        return s.joined(separator: "\n")
    }
}
