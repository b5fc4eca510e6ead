import Foundation

/// Model files and reference dumps used by the tests.
///
/// Model files live in `$KOE_HOME` (default `~/.cache/koe`); oracle dumps and
/// `weights_f32.npz` in `$KOE_TEST_DATA` (default `$KOE_HOME/testdata`). A missing file is
/// a test failure with the command that creates it, never a silent skip.
enum TestData {
    static let setupHint = "run `scripts/provision.sh --dev && scripts/make_test_data.sh`"

    static var home: URL {
        if let value = ProcessInfo.processInfo.environment["KOE_HOME"], !value.isEmpty {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/koe", isDirectory: true)
    }

    static var dir: URL {
        if let value = ProcessInfo.processInfo.environment["KOE_TEST_DATA"], !value.isEmpty {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return home.appendingPathComponent("testdata", isDirectory: true)
    }

    static var modelURL: URL { home.appendingPathComponent("kokoro-v1.0.int8.onnx") }
    static var voicesURL: URL { home.appendingPathComponent("voices_ja.npz") }
    static var vocabURL: URL { home.appendingPathComponent("vocab.json") }
    static var referenceWeightsURL: URL { dir.appendingPathComponent("weights_f32.npz") }

    /// An oracle dump in the test-data folder, e.g. `oracle("ja_short")` → `ja_short.npz`.
    static func oracle(_ name: String) -> URL { dir.appendingPathComponent("\(name).npz") }

    /// `url`, or an error that fails the test with the command that creates the file.
    static func require(_ url: URL) throws -> URL {
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFile(path: url.path) }
        return url
    }

    struct MissingFile: Error, CustomStringConvertible {
        let path: String
        var description: String { "missing test file \(path): \(TestData.setupHint)" }
    }

    /// A fresh temporary directory, removed by the caller with `cleanUp`.
    static func temporaryDirectory(_ label: String = "koe-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func cleanUp(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
