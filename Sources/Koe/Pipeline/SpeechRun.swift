import Foundation
import KoeText
import KokoroModel

/// The state of one stream: plans chunks, synthesises each when the consumer asks, and
/// maps durations to timestamps. Used by one consumer at a time (the stream's iterator).
actor SpeechRun {
    private let synthesizer: SpeechSynthesizer
    private let text: String
    private let options: SpeechOptions
    private var planner: ChunkPlanner?
    private var voice: KokoroEngine.Voice = .named("")
    private var language: KoeLanguage = .americanEnglish
    private var done = false
    private let startedAt = DispatchTime.now().uptimeNanoseconds
    private var firstAudioAt: UInt64?
    private var chunkIndex = 0
    private var offset = 0
    private var wordCount = 0
    private var timings = StageTimings()
    /// This stream's admission to the compute lane, held until the stream ends.
    private var ticket: ComputeLane.Ticket?
    /// Sentences begun but not yet ended, by index: where they start and their last word so far.
    private var openSentences: [Int: (start: Double, firstWord: Int, lastWord: Int, end: Double)] = [:]

    init(synthesizer: SpeechSynthesizer, text: String, options: SpeechOptions) {
        self.synthesizer = synthesizer
        self.text = text
        self.options = options
    }

    func next() async throws -> SpeechEvent? {
        if done { return nil }
        if Task.isCancelled {
            finish()
            return nil
        }
        do {
            if ticket == nil { try start() }
            guard let ticket else { return nil }
            let step = try await plannedStep(ticket)
            planner = step.planner
            guard let planned = step.planned, let pass = step.pass else {
                if chunkIndex == 0 { throw KoeError.noSpeech(text: text) }
                finish()
                return .finished(summary())
            }
            return .audio(chunk(planned, pass, tokenCount: step.tokenCount))
        } catch {
            finish()
            throw error
        }
    }

    private func finish() {
        done = true
        ticket?.release()
        ticket = nil
    }

    /// Checks the text, voice and options and takes a place on the compute lane.
    private func start() throws {
        guard text.unicodeScalars.contains(where: { !$0.properties.isWhitespace && $0.value >= 0x20 }) else {
            throw KoeError.emptyText
        }
        let (voice, language) = try synthesizer.prepare(options)
        self.voice = voice
        self.language = language
        ticket = try synthesizer.lane.admit()
    }

    /// What one turn on the lane produced: the planner moved on, and the next chunk with its
    /// forward pass (none when the text is used up).
    private struct Step: Sendable {
        var planner: ChunkPlanner
        var planned: PlannedChunk?
        var pass: SpeechSynthesizer.PassResult?
        var tokenCount = 0
    }

    /// Plans the next chunk and runs its forward pass in one turn on the lane: the front end
    /// (lexicon loading on first use, G2P) is CPU work too, and stays off the cooperative pool.
    private func plannedStep(_ ticket: ComputeLane.Ticket) async throws -> Step {
        let (synthesizer, text, options, voice, language) = (synthesizer, text, options, voice, language)
        let existing = planner
        let queuedAt = DispatchTime.now().uptimeNanoseconds
        return try await synthesizer.lane.run(ticket) { threads in
            let started = DispatchTime.now().uptimeNanoseconds
            var planner = try existing ?? ChunkPlanner(
                text: text, g2p: try synthesizer.frontEnd(for: language),
                firstLimit: options.firstChunkLimit, target: options.chunkTarget, normalization: options.normalization)
            guard let planned = try planner.next() else { return Step(planner: planner, planned: nil, pass: nil) }
            let frontEnd = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let tokens = try synthesizer.engine.vocabulary.encode(planned.phonemes)
            var pass = try synthesizer.runNetwork(tokens: tokens, phonemes: planned.phonemes, voice: voice,
                                                  speed: options.speed, threads: min(threads, options.threads))
            pass.timings.queueWait = Double(started - queuedAt) / 1e9
            pass.timings.frontEnd = frontEnd
            return Step(planner: planner, planned: planned, pass: pass, tokenCount: tokens.count)
        }
    }

    /// The chunk's audio with its word and sentence timestamps.
    private func chunk(_ planned: PlannedChunk, _ pass: SpeechSynthesizer.PassResult, tokenCount: Int) -> AudioChunk {
        timings += pass.timings
        let result = pass
        var samples = result.audio
        Self.fadeEdges(&samples)
        let rate = KokoroNetwork.sampleRate
        let mapped = TimestampMapper.words(planned.words, durations: result.durations, tokenCount: tokenCount,
                                           offset: offset, samplesPerFrame: KokoroNetwork.samplesPerFrame, sampleRate: rate)
        var words = mapped.map(\.stamp)
        TimestampMapper.trimSilentEdges(&words, samples: samples, chunkOffset: offset, sampleRate: rate)
        for (k, word) in words.enumerated() {
            let sentence = planned.wordSentences[mapped[k].index]
            let global = wordCount + k
            let begun = openSentences[sentence] ?? (word.start, global, global, word.end)
            openSentences[sentence] = (begun.start, begun.firstWord, global, word.end)
        }
        var sentences: [SentenceTimestamp] = []
        for index in planned.endedSentences {
            guard let open = openSentences.removeValue(forKey: index), let segment = planner?.sentences[index] else { continue }
            sentences.append(SentenceTimestamp(text: segment.text, start: open.start, end: open.end,
                                               charStart: segment.range.lowerBound, charEnd: segment.range.upperBound,
                                               words: open.firstWord..<(open.lastWord + 1)))
        }
        let chunk = AudioChunk(index: chunkIndex, samples: samples, sampleRate: rate, offset: offset,
                               textRange: planned.textRange, phonemes: planned.phonemes, words: words,
                               sentences: sentences, durations: result.durations, timings: pass.timings)
        if firstAudioAt == nil { firstAudioAt = DispatchTime.now().uptimeNanoseconds }
        chunkIndex += 1
        offset += samples.count
        wordCount += words.count
        return chunk
    }

    private func summary() -> SpeechSummary {
        let now = DispatchTime.now().uptimeNanoseconds
        return SpeechSummary(
            chunkCount: chunkIndex, wordCount: wordCount, sampleCount: offset, sampleRate: KokoroNetwork.sampleRate,
            timeToFirstAudio: Double((firstAudioAt ?? now) - startedAt) / 1e9,
            synthesisSeconds: Double(now - startedAt) / 1e9, timings: timings)
    }

    /// A 2 ms raised-cosine fade at both ends: chunks start and end in the pads' near-silence,
    /// and the fade makes the joins click-free whatever the residual level.
    static func fadeEdges(_ samples: inout [Float], length: Int = 48) {
        let n = min(length, samples.count / 2)
        guard n > 0 else { return }
        for i in 0..<n {
            let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(n)))
            samples[i] *= g
            samples[samples.count - 1 - i] *= g
        }
    }
}
