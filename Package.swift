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
        /// Running host commands (systemctl, crm_resource, lvs, ...) behind a protocol.
        .target(name: "HostSystem"),
        /// SQLite and PostgreSQL connections; knows nothing of Lua.
        .target(name: "Databases", dependencies: ["CSQLite", "CPostgres"]),
        /// Service managers: process, systemd, pacemaker; knows nothing of Lua.
        .target(name: "Services", dependencies: ["HostSystem"]),
        /// Volume pools: dir and lvm; knows nothing of Lua.
        .target(name: "Volumes", dependencies: ["HostSystem"]),
        /// A server's files confined to its root (the canonical resolver, the protected-files rule); knows nothing of Lua.
        .target(name: "Files"),
        /// Servers on their own hosts: the agent protocol, `phasekit agent`'s server, and the
        /// backends a controller uses through it over ssh; knows nothing of Lua.
        .target(name: "Remote", dependencies: ["Files", "Services", "Volumes", "HostSystem"]),
        /// The engine: binding registry, policy dispatcher, sites, procedures, journal.
        .target(
            name: "PhaseKit",
            dependencies: [
                "LuaRuntime", "Databases", "Services", "Volumes", "HostSystem", "Files", "Remote",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
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
                "PhaseKit", "LuaRuntime", "Replication", "Samples", "Remote",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Benchmarks (`make bench`)
        /// The raw C baseline: a Lua loop calling a plain lua_CFunction through the C API.
        .target(name: "CBenchBaseline", dependencies: ["CLua"]),
        .executableTarget(
            name: "PhaseKitBench",
            dependencies: ["PhaseKit", "LuaRuntime", "Databases", "Volumes", "Services", "Replication", "Samples", "Remote", "CBenchBaseline"]
        ),

        // MARK: Tests
        .testTarget(name: "LuaRuntimeTests", dependencies: ["LuaRuntime", "TestSupport"]),
        .testTarget(name: "DatabasesTests", dependencies: ["Databases"]),
        .testTarget(name: "ServicesTests", dependencies: ["Services", "HostSystem"], resources: [.copy("Fixtures")]),
        .testTarget(name: "RemoteTests", dependencies: ["Remote", "Files", "Services", "Volumes", "TestSupport"]),
        .testTarget(name: "VolumesTests", dependencies: ["Volumes", "HostSystem"], resources: [.copy("Fixtures")]),
        /// Shared by the test targets: the report schema check, each test process's scratch directory, the
        /// tmux terminal, the ssh test hosts, the small file system and a site's world snapshot.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "PhaseKitTests",
            dependencies: ["PhaseKit", "LuaRuntime", "Databases", "Volumes", "Services", "Files", "Replication", "Samples", "TestSupport"]
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

for target in package.targets where target.type != .system && !["CLuaShim", "CBenchBaseline"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
