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
    /// The chunk being rendered in pieces (the first one, for early first audio), if any.
    private var inProgress: InProgress?
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
            if let progress = inProgress { return .audio(try await nextPiece(progress, ticket)) }
            let step = try await plannedStep(ticket)
            planner = step.planner
            guard let planned = step.planned else {
                if chunkIndex == 0 { throw KoeError.noSpeech(text: text) }
                finish()
                return .finished(summary())
            }
            if let pass = step.pass { return .audio(chunk(planned, pass, tokenCount: step.tokenCount)) }
            guard let vocoder = step.vocoder else { throw CancellationError() }
            let progress = InProgress(planned: planned, vocoder: vocoder, tokenCount: step.tokenCount, timings: step.timings)
            return .audio(piece(step.firstPiece, of: progress))
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
        let (voice, language) = try synthesizer.prepare(text, options)
        self.voice = voice
        self.language = language
        ticket = try synthesizer.lane.admit()
    }

    /// What one turn on the lane produced: the planner moved on, and the next chunk with its
    /// forward pass (none when the text is used up), or with the first piece of its audio.
    private struct Step: Sendable {
        var planner: ChunkPlanner
        var planned: PlannedChunk?
        var pass: SpeechSynthesizer.PassResult?
        var tokenCount = 0
        /// When the chunk is rendered in pieces: the rest of its rendering, and its first piece.
        var vocoder: StreamingVocoder?
        var firstPiece: [Float] = []
        var timings = StageTimings()
    }

    /// A chunk rendered in pieces: the samples handed out so far come from `vocoder`.
    private struct InProgress: Sendable {
        var planned: PlannedChunk
        var vocoder: StreamingVocoder
        var tokenCount: Int
        /// The chunk's cost so far (front end, queueing, the network up to the generator, the pieces).
        var timings: StageTimings
    }

    /// Plans the next chunk and runs its forward pass in one turn on the lane: the front end
    /// (lexicon loading on first use, G2P) is CPU work too, and stays off the cooperative pool.
    private func plannedStep(_ ticket: ComputeLane.Ticket) async throws -> Step {
        let (synthesizer, text, options, voice, language) = (synthesizer, text, options, voice, language)
        let voiceName = options.voice ?? synthesizer.defaultVoice
        let existing = planner
        // Only the first chunk comes in pieces: every later one has the audio before it to be
        // rendered in. Only when this stream has the lane to itself (decided at its turn).
        let mayComeEarly = options.earlyFirstAudio && chunkIndex == 0
        let queuedAt = DispatchTime.now().uptimeNanoseconds
        return try await synthesizer.lane.run(ticket) { turn in
            let started = DispatchTime.now().uptimeNanoseconds
            var planner = try existing ?? ChunkPlanner(
                text: text, g2p: try synthesizer.frontEnd(for: language),
                firstLimit: options.firstChunkLimit, target: options.chunkTarget, normalization: options.normalization)
            guard let planned = try planner.next() else { return Step(planner: planner, planned: nil, pass: nil) }
            let frontEnd = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let tokens = try synthesizer.engine.vocabulary.encode(planned.phonemes)
            let threads = min(turn.threads, options.threads)
            let checkpoint = turn.checkCancellation
            let early = mayComeEarly && synthesizer.lane.statistics.activeStreams <= 1
            /// What the chunk cost before the network: queueing and the front end.
            func withPlanning(_ t: StageTimings) -> StageTimings {
                var t = t
                t.queueWait = Double(started - queuedAt) / 1e9
                t.frontEnd = frontEnd
                return t
            }
            if var pass = try synthesizer.standInPass(tokens: tokens, voice: voice, speed: options.speed, threads: threads) {
                pass.timings = withPlanning(pass.timings)
                return Step(planner: planner, planned: planned, pass: pass, tokenCount: tokens.count)
            }
            var vocoder = try synthesizer.vocoder(tokens: tokens, voice: voice, voiceName: voiceName, speed: options.speed,
                                                  threads: threads, inPieces: early,
                                                  skipsLeadingPause: options.skipsLeadingPause, checkpoint: checkpoint)
            let t0 = DispatchTime.now().uptimeNanoseconds
            let first = try vocoder.next(threads: threads, checkpoint: checkpoint) ?? []
            if let exact = vocoder.exact {
                // One pass: not the first chunk, or too short to gain from pieces.
                let pass = SpeechSynthesizer.PassResult(audio: exact.audio, durations: vocoder.vocoding.durations,
                                                        timings: withPlanning(exact.timings))
                return Step(planner: planner, planned: planned, pass: pass, tokenCount: tokens.count)
            }
            var timings = withPlanning(vocoder.vocoding.timings)
            timings.generator += Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            return Step(planner: planner, planned: planned, tokenCount: tokens.count, vocoder: vocoder,
                        firstPiece: first, timings: timings)
        }
    }

    /// The next piece of the chunk in progress, rendered in one turn on the lane; the last one
    /// completes the chunk, with its timestamps.
    private func nextPiece(_ progress: InProgress, _ ticket: ComputeLane.Ticket) async throws -> AudioChunk {
        let (synthesizer, options) = (synthesizer, options)
        let vocoding = progress.vocoder
        let queuedAt = DispatchTime.now().uptimeNanoseconds
        let (samples, rendered, cost) = try await synthesizer.lane.run(ticket) { turn in
            var vocoder = vocoding
            let started = DispatchTime.now().uptimeNanoseconds
            let samples = try vocoder.next(threads: min(turn.threads, options.threads), checkpoint: turn.checkCancellation) ?? []
            var cost = StageTimings()
            cost.queueWait = Double(started - queuedAt) / 1e9
            cost.generator = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return (samples, vocoder, cost)
        }
        var next = progress
        next.vocoder = rendered
        next.timings.queueWait += cost.queueWait
        if let exact = rendered.exact, rendered.isFinished {
            inProgress = nil
            // The one pass's own stage timings replace the estimate of its generator time.
            var timings = next.timings
            timings.generator += exact.timings.generator
            timings.istft += exact.timings.istft
            let pass = SpeechSynthesizer.PassResult(audio: exact.audio, durations: rendered.vocoding.durations, timings: timings)
            return chunk(next.planned, pass, tokenCount: next.tokenCount, tail: samples)
        }
        next.timings.generator += cost.generator
        return piece(samples, of: next)
    }

    /// An early piece of the chunk in progress: audio only; the chunk's words, sentences and
    /// durations come with its last piece.
    private func piece(_ samples: [Float], of progress: InProgress) -> AudioChunk {
        var samples = samples
        let emittedBefore = progress.vocoder.emitted - samples.count
        if emittedBefore == 0 { Self.fade(&samples, atStart: true) }
        inProgress = progress
        if firstAudioAt == nil { firstAudioAt = DispatchTime.now().uptimeNanoseconds }
        return AudioChunk(index: chunkIndex, samples: samples, sampleRate: KokoroNetwork.sampleRate,
                          offset: offset + emittedBefore, textRange: progress.planned.textRange,
                          phonemes: progress.planned.phonemes, words: [], sentences: [], durations: [],
                          completesChunk: false)
    }

    /// The chunk's audio with its word and sentence timestamps. `tail`: when the chunk came
    /// in pieces, the last piece's samples (the end of the chunk); else the whole one pass.
    private func chunk(_ planned: PlannedChunk, _ pass: SpeechSynthesizer.PassResult, tokenCount: Int,
                       tail: [Float]? = nil) -> AudioChunk {
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
        var piece = samples
        if var tail {
            // The last piece of a chunk that came in pieces: the one pass's end, faded as above.
            Self.fade(&tail, atStart: false)
            piece = tail
        }
        let chunk = AudioChunk(index: chunkIndex, samples: piece, sampleRate: rate, offset: offset + samples.count - piece.count,
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
    static func fadeEdges(_ samples: inout [Float], length: Int = fadeLength) {
        let n = min(length, samples.count / 2)
        guard n > 0 else { return }
        fade(&samples, atStart: true, length: n)
        fade(&samples, atStart: false, length: n)
    }

    static let fadeLength = 48

    /// The fade of ``fadeEdges(_:length:)`` at one end only.
    static func fade(_ samples: inout [Float], atStart: Bool, length: Int = fadeLength) {
        let n = min(length, samples.count)
        for i in 0..<n {
            let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(n)))
            samples[atStart ? i : samples.count - 1 - i] *= g
        }
    }
}
