import Foundation
@testable import Koe
import KoeServer
import KoeText

/// A synthesizer without model files: one chunk per sentence, each word 0.2 s of a 440 Hz
/// tone, with exact word timestamps and durations, so routes can be tested quickly. Like the
/// real one, each stream is admitted to its compute lane and "computes" there.
final class FakeSynthesizer: SpeechSynthesizing, @unchecked Sendable {
    let sampleRate = 24_000
    let voices = ["af_heart", "jf_alpha", "jm_kumo"]
    let defaultVoice = "af_heart"
    let lane: ComputeLane
    /// Wall time each chunk "computes" (blocking its thread, as a forward pass does).
    let chunkDelay: Double
    static let samplesPerWord = 4_800
    // Guarded by `lock`: chunks synthesised, for the disconnect test.
    private var produced = 0
    private let lock = NSLock()

    init(chunkDelay: Double = 0, lane: ComputeLane.Configuration = ServerConfiguration().computeLane) {
        self.chunkDelay = chunkDelay
        self.lane = ComputeLane(lane)
    }

    // Guarded by `lock`: the options of the latest stream, for the routes' mapping tests.
    private var latest: SpeechOptions?

    var chunksProduced: Int { lock.withLock { produced } }
    var lastOptions: SpeechOptions? { lock.withLock { latest } }

    /// The words of `text` with their code-point ranges, grouped by sentence.
    static func sentences(_ text: String) -> [[(word: String, start: Int, end: Int)]] {
        var sentences: [[(word: String, start: Int, end: Int)]] = [[]]
        var current = "", start = 0
        func close(at end: Int) {
            guard !current.isEmpty else { return }
            let stop = current.hasSuffix(".")
            let word = stop ? String(current.dropLast()) : current
            if !word.isEmpty { sentences[sentences.count - 1].append((word, start, stop ? end - 1 : end)) }
            if stop { sentences.append([]) }
            current = ""
        }
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if scalar.properties.isWhitespace {
                close(at: i)
            } else {
                if current.isEmpty { start = i }
                current.unicodeScalars.append(scalar)
            }
        }
        close(at: text.unicodeScalars.count)
        return sentences.filter { !$0.isEmpty }
    }

    func stream(_ text: String, options: SpeechOptions) -> AsyncThrowingStream<SpeechEvent, any Error> {
        lock.withLock { latest = options }
        let run = FakeRun(text: text, options: options, owner: self)
        return AsyncThrowingStream(unfolding: { try await run.next() })
    }

    fileprivate func countChunk() { lock.withLock { produced += 1 } }

    func phonemize(_ text: String, options: SpeechOptions) throws -> PhonemizedText {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw TextError.emptyText }
        let phonemes = text.lowercased()
        return PhonemizedText(phonemes: phonemes, tokens: phonemes.unicodeScalars.map { Int($0.value % 177) + 1 })
    }

    func speak(phonemes: String, options: SpeechOptions) throws -> PhonemeSpeech {
        if phonemes.contains("#") { throw KoeError.noSpeech(text: phonemes) }
        let count = phonemes.unicodeScalars.count
        return PhonemeSpeech(samples: [Float](repeating: 0.1, count: 600 * (count + 2)), durations: [Int](repeating: 1, count: count + 2))
    }
}

/// One fake stream's state; used by one consumer at a time.
private final class FakeRun: @unchecked Sendable {
    let text: String
    let options: SpeechOptions
    let plan: [[(word: String, start: Int, end: Int)]]
    let owner: FakeSynthesizer
    let started = Date()
    var index = 0, offset = 0, wordCount = 0
    var ticket: ComputeLane.Ticket?

    init(text: String, options: SpeechOptions, owner: FakeSynthesizer) {
        self.text = text
        self.options = options
        self.owner = owner
        plan = FakeSynthesizer.sentences(text)
    }

    func next() async throws -> SpeechEvent? {
        if Task.isCancelled || index > plan.count {
            ticket = nil
            return nil
        }
        if plan.isEmpty { throw KoeError.noSpeech(text: text) }
        if ticket == nil { ticket = try owner.lane.admit() }
        if index == plan.count {
            index += 1
            ticket = nil
            return .finished(SpeechSummary(chunkCount: plan.count, wordCount: wordCount, sampleCount: offset, sampleRate: 24_000,
                                           timeToFirstAudio: 0.01, synthesisSeconds: Date().timeIntervalSince(started)))
        }
        if text.contains("FAIL") && index == 1 { throw KoeError.noSpeech(text: "FAIL") }
        if let ticket, owner.chunkDelay > 0 {
            let delay = owner.chunkDelay
            try await owner.lane.run(ticket) { _ in usleep(UInt32(delay * 1e6)) }  // blocks like a forward pass
        }
        let words = plan[index]
        let n = words.count * FakeSynthesizer.samplesPerWord
        let samples = (0..<n).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 24_000)) }
        let per = FakeSynthesizer.samplesPerWord
        let stamps = words.enumerated().map { k, w in
            WordTimestamp(text: w.word, start: Double(offset + k * per) / 24_000, end: Double(offset + (k + 1) * per) / 24_000,
                          charStart: w.start, charEnd: w.end)
        }
        let chunk = AudioChunk(index: index, samples: samples, sampleRate: 24_000, offset: offset,
                               textRange: words[0].start..<words[words.count - 1].end, phonemes: "",
                               words: stamps, sentences: [], durations: [1] + Array(repeating: 8, count: words.count) + [1])
        index += 1
        offset += n
        wordCount += words.count
        owner.countChunk()
        return .audio(chunk)
    }
}
