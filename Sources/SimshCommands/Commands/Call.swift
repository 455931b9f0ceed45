import ArgumentParser
import Foundation
import SimotelKit
import SimshLanguage
import SimshRuntime

struct Call: ShellCommand, ManyWords {
    static let configuration = CommandConfiguration(
        commandName: "call",
        abstract: "Send any API request: PATH under /api/v4/ with a JSON body or field=value pairs",
        discussion: """
            The escape hatch for any service, e.g. call pbx/users/search '{"alike":false,"conditions":{"number":"100"}}' \
            or call pbx/users/search alike:=false conditions.number=100. \
            field=value sends a string, field:=JSON a raw JSON value, dotted names nest. \
            The method is the catalog's for a known path (PUT for setting/ping/act) and POST otherwise; \
            --method overrides. \
            The answer is kept for later commands as $response.success, $response.message, $response.data.FIELD. \
            A binary answer (a download) is written with --out FILE. \
            Exit status 4 for an HTTP error or success 0.
            """
    )

    @Argument(
        help: ArgumentHelp("Service path under /api/v4/, e.g. pbx/users/search", valueName: ValueKind.servicePath))
    var path: String

    @Argument(help: ArgumentHelp("A JSON body, or field=value / field:=JSON pairs", valueName: "body"))
    var body: [String] = []

    @Option(help: ArgumentHelp("HTTP method (default: PUT for ping, POST otherwise)", valueName: "method"))
    var method: String?

    @Option(
        help: ArgumentHelp("Write a binary answer (a download) to this file", valueName: "file"), completion: .file())
    var out: String?

    static let positionalsBeforeWords = 1
    var manyWords: [String] {
        get { body }
        set { body = newValue }
    }

    func run(in session: Session) async throws {
        let client = try session.requireClient()
        let servicePath = SimotelAPI.servicePath(path)
        guard !servicePath.isEmpty else { throw SimshError.usage("call: give a service path such as pbx/users/search") }
        let json = try RequestBody.build(body)
        let verb = (method ?? EndpointCatalog.endpoint(path: servicePath)?.method ?? "POST").uppercased()
        let response = try await client.send(
            method: verb, path: servicePath, body: Array(json.serialized().utf8), saveTo: out)
        try ResponsePrinter(session: session, command: "call").show(response, out: out)
    }
}

extension Call: Exemplified {
    static let group = HelpGroup.api
    static let examples = [
        CommandExample(
            "Call a service by its path, with a JSON body:",
            "simsh demo> call POST pbx/users/search '{\"alike\":true,\"conditions\":{}}'")
    ]
}
