import Foundation
@testable import Koe
import KokoroModel

/// The synthesizer over the provisioned model, loaded once per test process. A missing
/// file fails the test with the command that provisions it.
enum Speaker {
    static var home: URL {
        if let value = ProcessInfo.processInfo.environment["KOE_HOME"], !value.isEmpty {
            return URL(fileURLWithPath: value, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/koe", isDirectory: true)
    }

    struct MissingFile: Error, CustomStringConvertible {
        let path: String
        var description: String { "missing \(path): run scripts/provision.sh" }
    }

    static func require(_ name: String) throws -> URL {
        let url = home.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw MissingFile(path: url.path) }
        return url
    }

    static let engineResult: Result<KokoroEngine, Error> = Result {
        let files = ModelFiles(
            model: try require("kokoro-v1.0.int8.onnx"), voices: [try require("voices_ja.npz")],
            vocabulary: try require("vocab.json"), cacheDirectory: home.appendingPathComponent("cache", isDirectory: true))
        return try KokoroEngine(files: files)
    }

    static let synthesizerResult: Result<SpeechSynthesizer, Error> = Result {
        SpeechSynthesizer(engine: try engineResult.get())
    }

    static func synthesizer() throws -> SpeechSynthesizer { try synthesizerResult.get() }

    /// A synthesizer whose network is replaced by `pass` (for many chunks fast).
    static func synthesizer(forwardPass pass: @escaping SpeechSynthesizer.ForwardPass) throws -> SpeechSynthesizer {
        SpeechSynthesizer(engine: try engineResult.get(), lexiconDirectory: home.appendingPathComponent("misaki"),
                          userLexicon: nil, logger: .init(label: "test"), forwardPass: pass)
    }

    /// English is tested with a Japanese voice (no English voice can be provisioned here).
    static let voice = "jf_alpha"

    static func options(_ configure: (inout SpeechOptions) -> Void = { _ in }) -> SpeechOptions {
        var o = SpeechOptions(voice: voice, language: .americanEnglish, threads: 2)
        configure(&o)
        return o
    }
}

/// Root-mean-square level of `samples[range]`.
func rms(_ samples: [Float], _ range: Range<Int>) -> Double {
    let r = range.clamped(to: 0..<samples.count)
    guard !r.isEmpty else { return 0 }
    var s = 0.0
    for i in r { s += Double(samples[i]) * Double(samples[i]) }
    return (s / Double(r.count)).squareRoot()
}

/// One synthesis shared by the tests of a suite, made on first use.
actor SpeechCache {
    private var task: Task<Speech, Error>?

    func get(_ make: @escaping @Sendable () async throws -> Speech) async throws -> Speech {
        if let task { return try await task.value }
        let task = Task { try await make() }
        self.task = task
        return try await task.value
    }
}
