import Foundation
import SimshCommands
import SimshLanguage
import SimshRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Which files `simsh test` runs: the check files, not the helpers beside them.
extension CheckRunner {
    /// The check files under the paths given, sorted per directory, each once. A directory is
    /// searched recursively (symbolic links to directories given as arguments followed, regular
    /// files only) for `.simsh` files, leaving out the helpers: a file whose name starts with `_`,
    /// a file under a directory whose name starts with `_`, and the rule scripts that an
    /// `answer … --script FILE` line of another file names. A file given as an argument always
    /// runs. `exclude` (globs) leaves out a file whose path relative to the directory given (for a
    /// file argument: its path as given), name, or a directory above it matches one; `filter` keeps
    /// paths containing it. A path that does not exist, or a directory that cannot be read, is a
    /// usage error: a check silently left out would pass unseen.
    public static func files(in paths: [String], filter: String?, exclude: [String] = []) throws -> [String] {
        var found: [(path: String, relative: String, named: Bool)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SimshError.usage("test: no such file or directory: \(path)")
            }
            if isDirectory.boolValue {
                found += try simshFiles(under: path).map { (path: $0.path, relative: $0.relative, named: false) }
            } else {
                found.append((path: path, relative: path, named: true))
            }
        }
        // A file argument that is not a regular file (`<(…)`, a pipe) is read once, when it runs.
        let rules = Set(
            found.filter { !$0.named || isRegularFile($0.path) }.flatMap { f in
                ruleScripts(in: (try? AtomicFile.read(f.path)).flatMap { $0 } ?? "", of: f.path)
            })
        var seen = Set<String>()
        return found.filter { f in
            if !f.named, isHelper(f.relative) || rules.contains(canonical(f.path)) { return false }
            if isExcluded(f.relative, by: exclude) { return false }
            return seen.insert(URL(fileURLWithPath: f.path).standardizedFileURL.path).inserted
                && (filter.map(f.path.contains) ?? true)
        }.map(\.path)
    }

    /// The `.simsh` regular files under a directory, sorted: each as `DIR/relative`, and relative.
    static func simshFiles(under path: String) throws -> [(path: String, relative: String)] {
        let base = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let root = URL(fileURLWithPath: (path as NSString).resolvingSymlinksInPath, isDirectory: true)
        var unreadable: String?
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: keys,
                errorHandler: { url, _ in
                    unreadable = unreadable ?? url.path
                    return true
                })
        else { throw SimshError.usage("test: cannot read \(path)") }
        var here: [(path: String, relative: String)] = []
        let prefix = root.standardizedFileURL.path + "/"
        for case let url as URL in walker where url.pathExtension == "simsh" {
            guard (try? url.resourceValues(forKeys: Set(keys)))?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.path
            let relative = full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full
            here.append((path: base == "." ? relative : base + "/" + relative, relative: relative))
        }
        if let unreadable { throw SimshError.usage("test: cannot read \(unreadable): permission denied") }
        return here.sorted { $0.path < $1.path }
    }

    /// A helper, not a check: its name, or that of a directory between the one given and it,
    /// starts with `_`.
    static func isHelper(_ relative: String) -> Bool {
        relative.split(separator: "/").contains { $0.hasPrefix("_") }
    }

    /// Whether a glob of `--exclude` (fnmatch) matches the path, its name, or a directory it is
    /// under (`wip` leaves out `wip/a.simsh`).
    static func isExcluded(_ relative: String, by globs: [String]) -> Bool {
        guard !globs.isEmpty else { return false }
        let parts = relative.split(separator: "/").map(String.init)
        var candidates = [relative]
        if let name = parts.last { candidates.append(name) }
        for count in 1..<max(1, parts.count) { candidates.append(parts[..<count].joined(separator: "/")) }
        return globs.contains { glob in candidates.contains { fnmatch(glob, $0, 0) == 0 } }
    }

    /// The scripts the `answer … --script FILE` lines of a file name (`--script=FILE` too),
    /// resolved as `answer` resolves them: beside the file when there, else as written.
    static func ruleScripts(in text: String, of file: String) -> [String] {
        guard text.contains("--script"), let commands = try? Lexer.parse(text, file: file) else { return [] }
        var found: [String] = []
        for command in commands {
            for target in RuleScriptWords.scripts(in: command.words.map(\.literalText)) {
                found.append(resolve(target, beside: file))
            }
        }
        return found
    }

    /// A path as `answer --script` and `source` take it: beside `file` when there, else as written.
    static func resolve(_ target: String, beside file: String) -> String {
        if !target.hasPrefix("/") {
            let beside = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(target).path
            if FileManager.default.fileExists(atPath: beside) { return canonical(beside) }
        }
        return canonical(target)
    }

    /// One spelling of a path: absolute, without `.`, `..` or symbolic links.
    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isRegularFile(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular
    }
}
