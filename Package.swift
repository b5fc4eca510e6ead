// swift-tools-version: 6.1
import Foundation
import PackageDescription

// The compute kernels are built for AVX2 + FMA on x86-64 (any CPU since 2013-2015):
// elementwise loops run twice as fast. KOE_PORTABLE=1 builds for baseline x86-64.
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    ],
    targets: [
        // C system libraries (Debian -dev packages, installed by scripts/provision.sh).
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CEspeakNG", path: "Sources/CEspeakNG"),
        .systemLibrary(name: "CLame", path: "Sources/CLame"),
        .systemLibrary(name: "COpus", path: "Sources/COpus"),
        .systemLibrary(name: "CFLAC", path: "Sources/CFLAC"),
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "CPulse", path: "Sources/CPulse"),

        // The only target with unsafe pointers and maths libraries.
        .target(
            name: "KoeCompute",
            dependencies: [
                .target(name: "CBLAS", condition: .when(platforms: [.linux])),
                .target(name: "CDNNL", condition: .when(platforms: [.linux])),
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
            dependencies: ["CEspeakNG", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KoeAudio",
            dependencies: ["CLame", "COpus", "CFLAC"]
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
                "Koe", "KokoroModel", "KoeAudio", "KoeDaemon", "KoePlayback",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
