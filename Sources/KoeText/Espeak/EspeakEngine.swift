import CEspeakNG
import Foundation

/// libespeak-ng, called through its C API. The library keeps one global state (data,
/// current voice) and is not thread-safe, so there is exactly one engine per process and
/// every call goes through its lock.
final class EspeakEngine: @unchecked Sendable {
    /// The process-wide engine (the C library itself is process-global).
    static let shared = EspeakEngine()

    private struct State {
        var initialized = false
        var failure: String?
        var currentVoice: String?
        /// espeak language code (`en-us`) → voice identifier (`gmw/en-US`).
        var voices: [String: String] = [:]
    }

    // Guarded by `lock`.
    private let lock = NSLock()
    private var state = State()

    /// IPA output with U+0361 tying multi-letter phonemes (phonemizer's `tie=True` mode).
    private static let phonemeMode: Int32 = 0x02 | 0x80 | (0x0361 << 8)

    private init() {}

    /// Phonemizes one clause-free piece of text with the voice of `language` and returns
    /// espeak's IPA, clauses joined by spaces, ties written as `^` (misaki's convention).
    func phonemes(_ text: String, language: String) throws -> String {
        try lock.withLock {
            try Self.prepare(&state, language: language)
            var clauses: [String] = []
            // The text must stay alive and NUL-terminated while espeak walks through it.
            var bytes = Array(text.utf8CString)
            bytes.withUnsafeMutableBufferPointer { buffer in
                // Safety: `cursor` points into `buffer`, which outlives the loop; espeak only
                // reads up to the terminating NUL and advances the cursor or sets it to nil.
                var cursor: UnsafeRawPointer? = UnsafeRawPointer(buffer.baseAddress)
                var guardCount = 0
                while cursor != nil, guardCount < buffer.count + 1 {
                    guardCount += 1
                    guard let result = espeak_TextToPhonemes(&cursor, espeakCHARS_UTF8, Self.phonemeMode) else { continue }
                    clauses.append(String(cString: result))
                }
            }
            return clauses.joined(separator: " ")
                .replacingOccurrences(of: "\u{0361}", with: "^")
        }
    }

    /// Whether espeak-ng has a voice for `language` (initialising the library if needed).
    func hasVoice(for language: String) -> Bool {
        lock.withLock {
            (try? Self.prepare(&state, language: language)) != nil
        }
    }

    private static func prepare(_ state: inout State, language: String) throws {
        if !state.initialized {
            state.initialized = true
            let dataPath = ProcessInfo.processInfo.environment["ESPEAK_DATA_PATH"]
            let rate: Int32 = dataPath.map { path in
                path.withCString { espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, $0, Int32(espeakINITIALIZE_DONT_EXIT)) }
            } ?? espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, Int32(espeakINITIALIZE_DONT_EXIT))
            if rate <= 0 {
                state.failure = "espeak_Initialize failed (is espeak-ng-data installed?)"
            } else {
                state.voices = listVoices()
            }
        }
        if let failure = state.failure { throw TextError.espeakUnavailable(reason: failure) }
        if state.currentVoice == language { return }
        let name = state.voices[language] ?? language
        let status = name.withCString { espeak_SetVoiceByName($0) }
        guard status == EE_OK else {
            throw TextError.espeakUnavailable(reason: "no espeak-ng voice for language \"\(language)\"")
        }
        state.currentVoice = language
    }

    /// Maps each voice's first language code to its identifier, keeping the first voice of
    /// a language (espeak lists them by relevance), as phonemizer does.
    private static func listVoices() -> [String: String] {
        var voices: [String: String] = [:]
        guard let list = espeak_ListVoices(nil) else { return voices }
        var i = 0
        while let voice = list[i] {
            i += 1
            // `languages` is a list of (priority byte, NUL-terminated name); read the first.
            guard let languages = voice.pointee.languages, let identifier = voice.pointee.identifier else { continue }
            let language = String(cString: languages + 1)
            if voices[language] == nil { voices[language] = String(cString: identifier) }
        }
        return voices
    }
}
