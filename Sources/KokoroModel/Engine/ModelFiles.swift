import Foundation

/// Where the model, voices and vocabulary live.
///
/// Defaults come from the provisioning folder `$KOE_HOME` (default `~/.cache/koe`), which
/// `scripts/provision.sh` fills; `KOE_MODEL`, `KOE_VOICES` and `KOE_VOCAB` override single
/// files. Users who already have `kokoro-v1.0.onnx` / `kokoro-v1.0.int8.onnx` and
/// `voices-v1.0.bin` can drop them into that folder or point the variables at them.
public struct ModelFiles: Sendable, Equatable {
    public var model: URL
    /// Voice files, loaded in order; a later file's voice replaces an earlier one of the same name.
    public var voices: [URL]
    public var vocabulary: URL
    /// Folder for the converted-weights cache.
    public var cacheDirectory: URL

    public init(model: URL, voices: [URL], vocabulary: URL, cacheDirectory: URL) {
        self.model = model
        self.voices = voices
        self.vocabulary = vocabulary
        self.cacheDirectory = cacheDirectory
    }

    /// The provisioning folder.
    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let h = environment["KOE_HOME"], !h.isEmpty { return URL(fileURLWithPath: h, isDirectory: true) }
        let user = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return user.appendingPathComponent(".cache/koe", isDirectory: true)
    }

    /// Model names in order of preference: the full-precision export first.
    public static let modelNames = ["kokoro-v1.0.onnx", "kokoro-v1.0.int8.onnx"]
    /// Voice packs in order of loading.
    public static let voicePackNames = ["voices_ja.npz", "voices-v1.0.bin"]

    /// Finds the files, or explains how to get them.
    public static func locate(
        model: URL? = nil, voices: [URL]? = nil, vocabulary: URL? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ModelFiles {
        let home = home(environment: environment)
        let fm = FileManager.default
        let hint = "run scripts/provision.sh (or set KOE_HOME / KOE_MODEL to where the Kokoro files are)"
        let modelURL: URL
        if let model {
            modelURL = model
        } else if let m = environment["KOE_MODEL"], !m.isEmpty {
            modelURL = URL(fileURLWithPath: m)
        } else if let found = modelNames.map({ home.appendingPathComponent($0) }).first(where: { fm.fileExists(atPath: $0.path) }) {
            modelURL = found
        } else {
            throw KokoroModelError.missingFile(path: home.appendingPathComponent(modelNames[1]).path, hint: hint)
        }
        guard fm.fileExists(atPath: modelURL.path) else { throw KokoroModelError.missingFile(path: modelURL.path, hint: hint) }

        var voiceURLs = voices ?? []
        if voiceURLs.isEmpty, let v = environment["KOE_VOICES"], !v.isEmpty {
            voiceURLs = v.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        if voiceURLs.isEmpty {
            voiceURLs = voicePackNames.map { home.appendingPathComponent($0) }.filter { fm.fileExists(atPath: $0.path) }
            let extra = home.appendingPathComponent("voices", isDirectory: true)
            if let items = try? fm.contentsOfDirectory(at: extra, includingPropertiesForKeys: nil) {
                voiceURLs += items.filter { ["npz", "npy", "bin"].contains($0.pathExtension) }
                    .sorted { $0.lastPathComponent < $1.lastPathComponent }
            }
        }
        if voiceURLs.isEmpty { throw KokoroModelError.missingFile(path: home.appendingPathComponent(voicePackNames[0]).path, hint: hint) }
        for v in voiceURLs where !fm.fileExists(atPath: v.path) { throw KokoroModelError.missingFile(path: v.path, hint: hint) }

        let vocabURL = vocabulary ?? environment["KOE_VOCAB"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? home.appendingPathComponent("vocab.json")
        guard fm.fileExists(atPath: vocabURL.path) else { throw KokoroModelError.missingFile(path: vocabURL.path, hint: hint) }
        return ModelFiles(model: modelURL, voices: voiceURLs, vocabulary: vocabURL,
                          cacheDirectory: home.appendingPathComponent("cache", isDirectory: true))
    }
}
