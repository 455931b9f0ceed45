/// What an argument's value names, said once on its declaration by its value name: completion
/// offers what the value names (`help <command>`, `profile use <profile>`), usage lines show it.
public enum ValueKind {
    /// Command words: a built-in or an API service's words.
    public static let command = "command"
    /// Command words, or a service's path under /api/v4/.
    public static let commandOrPath = "command-or-path"
    /// A service's path under /api/v4/.
    public static let servicePath = "path"
    /// A saved profile.
    public static let profile = "profile"
    /// A saved profile or a server's URL.
    public static let profileOrURL = "profile-or-url"
}
