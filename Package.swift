// swift-tools-version:6.2
import PackageDescription

let swift6: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "simsh",
    // Mutex (Synchronization) needs macOS 15; the terminal, signal and file code is written for
    // Linux's Glibc, the platform simsh is built and tested on.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "simsh", targets: ["simsh"]),
        // Named with a second target so that argument-parser's man page plugin, which documents
        // single-target executables, leaves the fuzz targets out.
        .executable(name: "simsh-fuzz", targets: ["simsh-fuzz", "HTTPServerKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", exact: "1.37.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/vapor/multipart-kit", exact: "4.7.1"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        .package(url: "https://github.com/vapor/sqlite-nio", exact: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // Header-only C wrappers for process hardening (glibc's variadic prctl).
        .systemLibrary(name: "CHardening"),
        // ICU's regular expressions from Debian's libicu-dev, whose match callback bounds a match
        // (the toolchain's ICU is Foundation's own). A C target, not a system library: its header
        // must not show ICU's, which clash with Foundation's ICU module in a Swift module. ICU is
        // loaded on first use with RTLD_LOCAL (shim.c says why), so nothing is linked.
        .target(name: "CICU"),
        .target(
            name: "LineEditor",
            dependencies: ["CEditLine", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swift6
        ),
        // How simsh reads and writes files: replaced atomically, never renamed over a FIFO, a device
        // or stdout, symbolic links followed under the kernel's protected_symlinks rule.
        .target(name: "SafeFiles", swiftSettings: swift6),
        .target(
            name: "SimotelKit",
            dependencies: [
                "SafeFiles",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "HTTPServerKit",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        // What is stored and what is read back: records, queries, the store's protocol, calls and
        // a call's timeline. No database: the listener and the commands know this, not the backends.
        .target(
            name: "SimshRecords",
            dependencies: ["SimotelKit", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swift6
        ),
        // The event store's backends: one SQLite file (sqlite-nio) or a team's PostgreSQL database
        // (postgres-nio). Knows records, not webhooks.
        .target(
            name: "SimshStore",
            dependencies: [
                "SimshRecords", "SimotelKit", "SafeFiles",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "SimotelWebhooks",
            dependencies: [
                "SimotelKit", "HTTPServerKit", "SafeFiles", "SimshRecords",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swift6
        ),
        .target(
            name: "SimotelSimulator",
            dependencies: [
                "SimotelKit", "HTTPServerKit",
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        // The script language: lexer, statements, expressions, their errors. Pure: no I/O, no session.
        .target(
            name: "SimshLanguage",
            dependencies: ["SimotelKit", "CICU"],
            swiftSettings: swift6
        ),
        // What the shell and scripts share: the session, the interpreter, output, profiles, secrets.
        .target(
            name: "SimshRuntime",
            dependencies: [
                "SimshLanguage", "SimotelKit", "SimotelWebhooks", "SimotelSimulator", "SafeFiles", "SimshRecords",
                "SimshStore",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swift6
        ),
        // Every command (one file each), the command table, the API services as commands, help.
        .target(
            name: "SimshCommands",
            dependencies: [
                "SimshLanguage", "SimshRuntime", "SimotelKit", "SimotelWebhooks", "SimotelSimulator", "SafeFiles",
                "SimshRecords",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // The hand-written pages `help script` and `help events` show (and `man` shows).
            resources: [.embedInCode("Help/Pages/simsh-script.5"), .embedInCode("Help/Pages/simsh-events.7")],
            swiftSettings: swift6
        ),
        // `simsh test`: check files run in parallel, JUnit/TAP/HTML reports.
        .target(
            name: "SimshChecks",
            dependencies: [
                "SimshLanguage", "SimshRuntime", "SimshCommands", "SimotelKit",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .executableTarget(
            name: "simsh",
            dependencies: [
                "SimshLanguage", "SimshRuntime", "SimshCommands", "SimshChecks", "LineEditor", "CEditLine",
                "SimotelKit", "SimotelSimulator", "CHardening",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6
        ),
        // scripts/bench listen's yardstick: NIOHTTP1's own server pipeline answering "ok", nothing
        // recorded — what the listener's figure is measured against besides nginx.
        .executableTarget(
            name: "bench-http-floor",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/bench-http-floor",
            swiftSettings: swift6
        ),
        // scripts/test builds it with the release build's flags and checks the result with readelf.
        .executableTarget(name: "hardening-probe", path: "Tests/HardeningProbe", swiftSettings: swift6),
        // Fuzz targets (scripts/fuzz builds them with libFuzzer); built plainly, it replays the
        // kept regression cases.
        .executableTarget(
            name: "simsh-fuzz",
            dependencies: ["SimshLanguage", "SimshRuntime", "SimotelKit", "SimotelWebhooks", "HTTPServerKit"],
            path: "Fuzz/simsh-fuzz",
            swiftSettings: swift6
        ),
        // What the test targets share: temporary directories, child processes started cleanly,
        // raw and HTTP clients (a library, like HummingbirdTesting; no test framework inside).
        .target(
            name: "SimshTesting",
            dependencies: [
                "SimotelWebhooks", "SimotelKit", "HTTPServerKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/SimshTesting",
            swiftSettings: swift6
        ),
        // One test target per library target; SimshTests holds what spans layers and the binary.
        .testTarget(
            name: "SimshLanguageTests", dependencies: ["SimshLanguage", "SimotelKit"], exclude: ["Checks"],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SimshRuntimeTests",
            dependencies: ["SimshRuntime", "SimshLanguage", "SimotelKit", "SimshTesting"],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SimshCommandsTests",
            dependencies: [
                "SimshCommands", "SimshRuntime", "SimshTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SimshChecksTests", dependencies: ["SimshChecks", "SimshRuntime", "SimshLanguage"],
            swiftSettings: swift6
        ),
        .testTarget(name: "SimotelKitTests", dependencies: ["SimotelKit"], swiftSettings: swift6),
        .testTarget(name: "SimshRecordsTests", dependencies: ["SimshRecords", "SimotelKit"], swiftSettings: swift6),
        .testTarget(
            name: "SimshStoreTests",
            dependencies: [
                "SimshStore", "SimshRecords", "SimotelKit", "SimshTesting",
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SimotelSimulatorTests",
            dependencies: [
                "SimotelSimulator", "SimotelKit", "SimshTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "SimotelWebhooksTests",
            dependencies: [
                "SimotelWebhooks", "SimotelKit", "HTTPServerKit", "SimshTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swift6
        ),
        .testTarget(
            name: "HTTPServerKitTests", dependencies: ["HTTPServerKit", "SimshTesting"], swiftSettings: swift6),
        .testTarget(name: "SafeFilesTests", dependencies: ["SafeFiles", "SimshTesting"], swiftSettings: swift6),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor"], swiftSettings: swift6),
        .testTarget(
            name: "SimshTests",
            dependencies: [
                "SimshLanguage", "SimshRuntime", "SimshCommands", "SimshChecks", "SimotelKit", "SimotelSimulator",
                "SimotelWebhooks", "HTTPServerKit", "SafeFiles", "SimshTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                // An HTTPS server whose certificate a private CA made for the test issued.
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            exclude: ["Golden", "Fixtures"],
            swiftSettings: swift6
        ),
    ]
)
