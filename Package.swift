// swift-tools-version: 6.1
import PackageDescription

/// Strict settings applied to every Swift target by the loop at the end of this file.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "phasekit",
    products: [
        .executable(name: "phasekit", targets: ["PhaseKitCLI"]),
        .library(name: "PhaseKit", targets: ["PhaseKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C libraries from Debian
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CPostgres",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        /// `clua_` one-liners for Lua's macros, the error trampoline, the allocator and the limit hook.
        .target(name: "CLuaShim", dependencies: ["CLua"]),

        // MARK: Swift modules
        /// The only module that imports the Lua C modules.
        .target(name: "LuaRuntime", dependencies: ["CLua", "CLuaShim"]),
        /// The one system-call wrapper: every C call that can fail, `EINTR` retried, `errno` turned
        /// into a thrown `SystemCallError`. Depends on nothing, so every backend (HostSystem,
        /// Files, Services, Volumes, Remote) and PhaseKit can use it.
        /// `csys_` wrappers of the Linux system calls Swift's Glibc module does not export (pipe2).
        .target(name: "CSystemCalls"),
        .target(name: "SystemCalls", dependencies: ["CSystemCalls"]),
        /// Running host commands (systemctl, crm_resource, lvs, ...) behind a protocol.
        .target(name: "HostSystem", dependencies: ["SystemCalls"]),
        /// SQLite and PostgreSQL connections; knows nothing of Lua.
        .target(name: "Databases", dependencies: ["CSQLite", "CPostgres"]),
        /// Service managers: process, systemd, pacemaker; knows nothing of Lua.
        .target(name: "Services", dependencies: ["HostSystem", "SystemCalls"]),
        /// Volume pools: dir and lvm; knows nothing of Lua.
        .target(name: "Volumes", dependencies: ["HostSystem", "SystemCalls"]),
        /// A server's files confined to its root (the canonical resolver, the protected-files rule); knows nothing of Lua.
        .target(name: "Files", dependencies: ["SystemCalls"]),
        /// Servers on their own hosts: the agent protocol, `phasekit agent`'s server, and the
        /// backends a controller uses through it over ssh; knows nothing of Lua.
        .target(name: "Remote", dependencies: ["Files", "Services", "Volumes", "HostSystem", "SystemCalls"]),
        /// The engine: binding registry, policy dispatcher, sites, procedures, journal.
        .target(
            name: "PhaseKit",
            dependencies: [
                "LuaRuntime", "Databases", "Services", "Volumes", "HostSystem", "SystemCalls", "Files", "Remote",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        /// Authoring: `phasekit lint` (its Lua tokenizer), the step template of `phasekit new`, and
        /// the generators of `phasekit bindings` (LuaCATS files, docs/api.md).
        .target(name: "PhaseKitAuthoring", dependencies: ["PhaseKit", "LuaRuntime", "HostSystem"]),
        /// The replication group's change model: the `replication` change provider of `configure`.
        .target(name: "Replication", dependencies: ["PhaseKit", "LuaRuntime", "Volumes"]),
        /// The sample site (`phasekit sample-site`); its data files are in `Resources/`, installed
        /// in `PREFIX/share/phasekit/Samples`.
        .target(
            name: "Samples",
            dependencies: ["PhaseKit", "Replication", "Databases", "Services", "Volumes"],
            exclude: ["Resources"]
        ),
        .executableTarget(
            name: "PhaseKitCLI",
            dependencies: [
                "PhaseKit", "PhaseKitAuthoring", "LuaRuntime", "Replication", "Samples", "Remote", "Services", "SystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (`make bench`)
        /// The raw C baseline: a Lua loop calling a plain lua_CFunction through the C API.
        .target(name: "CBenchBaseline", dependencies: ["CLua"]),
        .executableTarget(
            name: "PhaseKitBench",
            dependencies: ["PhaseKit", "LuaRuntime", "Databases", "Volumes", "Services", "Replication", "Samples", "Remote", "SystemCalls", "CBenchBaseline"]
        ),

        // MARK: Tests
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime", "TestSupport"]),
        .testTarget(name: "DatabasesTests", dependencies: ["Databases"]),
        .testTarget(name: "ServicesTests", dependencies: ["Services", "HostSystem"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "Files", "HostSystem", "Services", "Volumes", "TestSupport"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes", "HostSystem"], resources: [.copy("Fixtures")]),
        /// Shared by the test targets: the report schema check, each test process's scratch directory, the
        /// tmux terminal, the ssh test hosts, the small file system and a site's world snapshot.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "PhaseKitTests",
            dependencies: ["PhaseKit", "PhaseKitAuthoring", "LuaRuntime", "Databases", "Volumes", "Services", "Files", "Replication", "Samples", "TestSupport"]
        ),
        .testTarget(
            name: "HostileTests",
            dependencies: [
                "PhaseKit", "LuaRuntime", "Databases", "Volumes", "Services", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Corpus"]
        ),
        /// The seeded fault campaign (issue 24): interruptions of the built binary checked against the
        /// model in docs/policy.md; `make faults N=...` runs a long one.
        .testTarget(name: "FaultCampaignTests", dependencies: ["TestSupport"]),
        .testTarget(
            name: "PhaseKitCLITests",
            dependencies: [
                "PhaseKitCLI", "PhaseKit", "Replication", "Samples", "Remote", "Files", "HostSystem", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)

for target in package.targets where target.type != .system && !["CLuaShim", "CBenchBaseline", "CSystemCalls"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
