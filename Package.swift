// swift-tools-version:6.0
import PackageDescription

/// Strict settings applied to every target: Swift 6 language mode comes with the tools version;
/// `ExistentialAny` makes every existential spelled `any`.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "mtp-etl",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mtp-etl", targets: ["mtp-etl"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "Spreadsheet", targets: ["Spreadsheet"]),
        .library(name: "Hashing", targets: ["Hashing"]),
        .library(name: "MTPPipeline", targets: ["MTPPipeline"]),
        .library(name: "MTPDevelopment", targets: ["MTPDevelopment"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CXLSXWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: ["CLibPQ"],
            swiftSettings: strictSettings
        ),
        // SHA-256 from the system's libcrypto (libpq-dev brings libssl-dev), not a vendored BoringSSL.
        .target(
            name: "Hashing",
            dependencies: ["CLibCrypto"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Spreadsheet",
            dependencies: ["CXLSXWriter"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MTPPipeline",
            dependencies: [
                "Postgres",
                "Spreadsheet",
                "Hashing",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // What development needs and production does not: the source systems' fixtures, generated states and
        // planning files, the reader's fuzzing exercise, the xlsx benchmark's export.
        .target(
            name: "MTPDevelopment",
            dependencies: ["MTPPipeline", "Postgres", "Spreadsheet", "Hashing"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "mtp-etl",
            dependencies: [
                "MTPPipeline",
                "MTPDevelopment",
                "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The planning file reader under libFuzzer (scripts/fuzz-plans); built normally, it replays inputs.
        .executableTarget(
            name: "PlanFuzz",
            dependencies: ["MTPPipeline", "MTPDevelopment"],
            path: "Fuzz/PlanFuzz",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: ["Postgres", "MTPPipeline", "MTPDevelopment"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "HashingTests",
            dependencies: ["Hashing"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SpreadsheetTests",
            dependencies: ["Spreadsheet", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MTPPipelineTests",
            dependencies: ["MTPPipeline", "MTPDevelopment", "Postgres", "Hashing", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
