import Foundation
import Logging
import SimotelKit
import SimotelWebhooks
import SimshLanguage
import SimshRecords
import SimshStore
import Synchronization

/// The session's event store: named by `--store PATH|URL` / `--no-store`, else `SIMSH_STORE`,
/// else the active profile's `store`, else the default file; opened on its first write or read
/// (a one-shot `simsh ping` opens nothing), and kept open until the session closes.
struct StoreState: Sendable {
    /// `--store` (`"off"` for `--no-store`), given on simsh's command line.
    var option: String?
    var opened: (any RecordStore)?
    var opening: Task<any RecordStore, any Error>?
    /// Drops old records every hour while the store is open (a listener runs for days).
    var pruning: Task<Void, Never>?
    /// The last of the API requests' writes, each after the one before: in order, and waited
    /// for by a read and by the end of the session.
    var writing: Task<Void, Never>?
}

extension Session {
    /// `--store PATH|URL` (or `"off"`: `--no-store`), before anything opens the store.
    public func setStoreOption(_ text: String?) {
        storeState.withLock { $0.option = text }
    }

    /// Where records go and whether that was named (a named store keeps the API requests of a
    /// session without a listener too); nil: no store (`--no-store`, `store = "off"`).
    public func storeLocation() throws -> (location: StoreLocation, named: Bool)? {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        let named: String? =
            storeState.withLock { $0.option } ?? environment["SIMSH_STORE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? active?.profile.store
        guard let named else { return (.sqlite(path: paths.store), false) }
        do {
            guard let location = try StoreLocation.parse(named, home: home) else { return nil }
            return (location, true)
        } catch {
            throw SimshError.usage(error.description)
        }
    }

    /// The store, opened now if it is not yet; nil when the session has none.
    public func recordStore() async throws -> (any RecordStore)? {
        guard let location = try storeLocation()?.location else { return nil }
        let task = storeState.withLock { s -> Task<any RecordStore, any Error>? in
            if s.opened != nil { return nil }
            if let t = s.opening { return t }
            let logger = self.logger
            let password = storePassword()
            let t = Task<any RecordStore, any Error> {
                try await Session.openStore(location, password: password, logger: logger)
            }
            s.opening = t
            return t
        }
        guard let task else { return storeState.withLock { $0.opened } }
        do {
            let store = try await task.value
            storeState.withLock {
                $0.opened = store
                $0.opening = nil
            }
            return store
        } catch {
            storeState.withLock { $0.opening = nil }
            if let e = error as? StoreError {
                throw SimshError.io(e.description + " (--no-store runs without one)")
            }
            throw error
        }
    }

    /// Drops records past the retention now and every hour while the store is open: done by a
    /// writer (the listener), never by a reader, whose `store_keep_days` is no say over a
    /// team's records.
    func startPruning(_ store: any RecordStore) async {
        let retention = StoreRetention(keepDays: active?.profile.storeKeepDays ?? 30)
        try? await store.prune(retention)
        let pruning = Task { [weak store] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
                guard !Task.isCancelled, let store else { return }
                try? await store.prune(retention)
            }
        }
        storeState.withLock { s in
            s.pruning?.cancel()
            s.pruning = pruning
        }
    }

    /// The store a reader needs (`events search`, `calls`), or a usage error when there is none.
    public func requireStore() async throws -> any RecordStore {
        await flushWrites()
        guard let store = try await recordStore() else {
            throw SimshError.usage("no event store: --no-store (or store = \"off\") turned it off")
        }
        return store
    }

    /// The store when it is open already (nothing is opened to answer).
    public var openStore: (any RecordStore)? { storeState.withLock { $0.opened } }

    static func openStore(_ location: StoreLocation, password: String?, logger: Logger) async throws -> any RecordStore
    {
        switch location {
        case .sqlite(let path):
            return try await SQLiteRecordStore.open(path: path, logger: logger)
        case .postgres(let url):
            return try await PostgresRecordStore.open(url: url, password: password, logger: logger)
        }
    }

    /// A PostgreSQL store's password: never in its URL (it would show in ps and history), but in
    /// the variable the profile's `store_password_env` names, else `PGPASSWORD`; masked from now on.
    func storePassword() -> String? {
        let name = active?.profile.storePasswordEnv ?? "PGPASSWORD"
        guard let value = environment[name], !value.isEmpty else { return nil }
        secrets.add(value)
        return value
    }

    /// Waits until the API requests already answered are stored.
    public func flushWrites() async {
        await storeState.withLock { $0.writing }?.value
    }

    /// Closes the store (the end of the session), its queued writes done first.
    func closeStore() async {
        await flushWrites()
        let store = storeState.withLock { s -> (any RecordStore)? in
            s.pruning?.cancel()
            defer {
                s.opened = nil
                s.pruning = nil
            }
            return s.opened
        }
        await store?.close()
    }

    /// Stores an API request and its answer (secrets masked), when the session has a listener
    /// or a store was named; never delays or fails the command — a failed write is warned of.
    func storeExchange(_ exchange: SimotelClient.Exchange) {
        guard listener != nil || ((try? storeLocation())??.named ?? false) else { return }
        let (method, path) = (exchange.method, exchange.path)
        let request = exchange.body.flatMap { $0.isEmpty ? nil : try? JSONValue.parse($0) }
        let answer = exchange.answer.json
        // When it was sent: a trace puts the request before the events it caused.
        let sent = Date().addingTimeInterval(-exchange.answer.elapsedMilliseconds / 1000)
        var members: [(String, JSONValue)] = [
            ("time", .string(ReceivedEvent.timestamp(sent))), ("method", .string(method)),
            ("path", .string(path)),
        ]
        if let request { members.append(("request", request)) }
        members.append(("status", .number(Double(exchange.answer.status))))
        if let answer { members.append(("answer", answer)) }
        members.append(JSONValue.elapsed(exchange.answer.elapsedMilliseconds))
        let text = secrets.redact(JSONValue.object(members).serialized())
        let ids = answer.map(CallIdentifiers.inAnswer) ?? []
        let record = StoredRecord(
            kind: .request, time: sent, name: "\(method) \(path)",
            callID: answer.flatMap(CallIdentifiers.originatedCall(inAnswer:)), extraKeys: ids,
            source: "session pid \(getpid())", body: text)
        let output = self.output
        // After the one before (never delaying the command): a later read and the session's end wait for it.
        storeState.withLock { s in
            let previous = s.writing
            s.writing = Task {
                await previous?.value
                do {
                    guard let store = try await self.recordStore() else { return }
                    _ = try await store.write([record])
                } catch {
                    output.warning("the request \(method) \(path) was not stored: \(error)")
                }
            }
        }
    }
}
