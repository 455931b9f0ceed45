/// Every service of api-v4.md §10 (79 and the `reports/cdr` alias), one row each: the commands,
/// `describe`, completion, validation and the simulator read this table.
public enum EndpointCatalog {
    public static let all: [EndpointSpec] = setting + pbx + voicemail + lists + faxes + reports + autodialer

    /// The row of a command (`["users", "add"]`) or a path (`pbx/users/add`).
    public static func endpoint(words: [String]) -> EndpointSpec? { all.first { $0.words == words } }

    public static func endpoint(path: String) -> EndpointSpec? {
        let p = SimotelAPI.servicePath(path)
        return all.first { $0.path == p }
    }

    /// The first words of every command (`users`, `reports`, `autodialer`, `originate`, ...).
    public static var resources: [String] {
        var seen: [String] = []
        for e in all where !seen.contains(e.words[0]) { seen.append(e.words[0]) }
        return seen
    }
}
