// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "InoculationGate",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "InoculationGate", targets: ["InoculationGate"]),
        .library(name: "InoculationGateTesting", targets: ["InoculationGateTesting"]),
        .executable(name: "ipgate", targets: ["ipgate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The HTTP client's own event loop (NIOPosix) and the types it speaks (NIOCore).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // `swift package generate-documentation` (the DocC catalog in Sources/InoculationGate).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "InoculationGate",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API for the few statements a run executes per answer (``BoundStatement``).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "InoculationGateTesting",
            dependencies: ["InoculationGate"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ipgate",
            dependencies: [
                "InoculationGate",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "InoculationGateTests",
            dependencies: ["InoculationGate", "InoculationGateTesting"],
            exclude: ["Vectors", "Fixtures", "Golden"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GateTests",
            dependencies: ["InoculationGate", "InoculationGateTesting"],
            swiftSettings: strict
        ),
    ]
)
