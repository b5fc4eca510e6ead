// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The compute kernels are built for AVX2 + FMA on x86-64 (any CPU since 2013-2015), so
// that elementwise loops use the wide vectors. KOE_PORTABLE=1 builds for baseline x86-64.
#if arch(x86_64)
let computeFlags = ProcessInfo.processInfo.environment["KOE_PORTABLE"] == "1"
    ? ["-Ounchecked"] : ["-Ounchecked", "-target-cpu", "haswell"]
#else
let computeFlags = ["-Ounchecked"]
#endif

let package = Package(
    name: "Koe",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Koe", targets: ["Koe"]),
        .executable(name: "koe", targets: ["koe"]),
        .library(name: "KoeServer", targets: ["KoeServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // koe serve (KoeServer)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.20.0"),
    ],
    targets: [
        // C system libraries (Debian -dev packages, installed by scripts/provision.sh).
        .systemLibrary(name: "CEspeakNG", path: "Sources/CEspeakNG"),
        .systemLibrary(name: "CLame", path: "Sources/CLame"),
        .systemLibrary(name: "COpus", path: "Sources/COpus"),
        .systemLibrary(name: "CFLAC", path: "Sources/CFLAC"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        .systemLibrary(name: "CMeCab", path: "Sources/CMeCab", providers: [.apt(["libmecab-dev"]), .brew(["mecab"])]),
        .systemLibrary(name: "CAVCodec", path: "Sources/CAVCodec"),
        .systemLibrary(name: "CPulse", path: "Sources/CPulse"),

        // The only target with unsafe pointers and maths libraries.
        .target(
            name: "KoeCompute",
            dependencies: [
                .target(name: "CDNNL", condition: .when(platforms: [.linux])),
                .target(name: "CLinux", condition: .when(platforms: [.linux])),
            ],
            swiftSettings: [.unsafeFlags(computeFlags)]
        ),
        .target(
            name: "KokoroModel",
            dependencies: [
                "KoeCompute",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "KoeText",
            dependencies: ["CEspeakNG", "CMeCab", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KoeAudio",
            dependencies: ["CLame", "COpus", "CFLAC", "CAVCodec"]
        ),
        .target(
            name: "Koe",
            dependencies: [
                "KoeCompute", "KokoroModel", "KoeText", "KoeAudio",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The resident speaker: audio output, then the daemon and its client (issue 11).
        .target(
            name: "KoePlayback",
            dependencies: [.target(name: "CPulse", condition: .when(platforms: [.linux]))]
        ),
        .target(
            name: "KoeDaemon",
            dependencies: ["Koe", "KoePlayback", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "koe",
            dependencies: [
                "Koe", "KokoroModel", "KoeAudio", "KoeServer", "KoeDaemon", "KoePlayback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "KoeServer",
            dependencies: [
                "Koe", "KoeAudio", "KoeText", "KokoroModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "KoeServerTests",
            dependencies: [
                "KoeServer", "Koe", "KoeAudio",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),

        .testTarget(name: "KoeComputeTests", dependencies: ["KoeCompute"]),
        .testTarget(name: "KokoroModelTests", dependencies: ["KokoroModel"]),
        .testTarget(name: "KoeTextTests", dependencies: ["KoeText"]),
        .testTarget(name: "KoeAudioTests", dependencies: ["KoeAudio"]),
        .testTarget(name: "KoeTests", dependencies: ["Koe"]),
        .testTarget(name: "KoeDaemonTests", dependencies: ["KoeDaemon", "KoePlayback"]),
    ]
)
