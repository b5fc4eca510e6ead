// swift-tools-version: 6.1
// libFuzzer harness for Koe's text front end (normaliser + English G2P + segmenter).
// Build and run (Linux):
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
//   mkdir -p corpus && ASAN_OPTIONS=detect_leaks=0 .build/release/FuzzG2P -max_total_time=60 -max_len=4096 -timeout=10 corpus seeds
// (libespeak-ng keeps process-lifetime allocations, which LeakSanitizer would report at exit.)
// SwiftPM makes `FuzzG2P_main` the entry point; it starts libFuzzer's driver (LLVMFuzzerRunDriver).
// The lexicons come from scripts/provision.sh ($KOE_HOME/misaki).
import PackageDescription

let package = Package(
    name: "KoeTextFuzz",
    dependencies: [.package(url: "https://github.com/apple/swift-log", from: "1.6.0")],
    targets: [
        .systemLibrary(name: "CEspeakNG", path: "Sources/CEspeakNG"),
        .target(name: "KoeText", dependencies: ["CEspeakNG", .product(name: "Logging", package: "swift-log")]),
        .executableTarget(name: "FuzzG2P", dependencies: ["KoeText"], path: "Sources/FuzzG2P"),
    ]
)
