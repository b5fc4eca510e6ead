import Foundation
import Testing
@testable import KoeCompute
@testable import KokoroModel

/// Early first audio inside a chunk (`StreamingVocoder`): the pieces against the chunk's one pass.
@Suite(.serialized)
struct StreamingVocoderTests {
    /// Sentences of different lengths and kinds (Kokoro phonemes, spoken by jf_alpha).
    static let inputs: [String] = [
        "ɪn ðə mˈɔːɹnɪŋ, ðə tɹˈeɪn lˈɛft ðə stˈeɪʃən ˈɑːn tˈaɪm.",
        "pˈæsɪndʒɚz ɹˈɛd ðɛɹ bˈʊks, wˈɑːtʃt ðə fˈiːldz ɡoʊ bˈaɪ, ænd tˈɔːkt kwˈaɪətli əbˌaʊt ðə wˈɛðɚ.",
        "bˈaɪ nˈuːn, ðə skˈaɪ hæd tˈɜːnd ɡɹˈeɪ ænd kˈoʊld, ænd ə lˈaɪt ɹˈeɪn bɪɡˈæn tə fˈɔːl əkɹˈɔːs ðə vˈæli.",
        "kˈoːkoɾo wa ɡenki desɯ. kʲoː wa ii tenki desɯ ne.",
    ]

    func vocoding(_ phonemes: String, _ engine: KokoroEngine) throws -> KokoroNetwork.Vocoding {
        let tokens = try engine.vocabulary.encode(phonemes)
        let style = try engine.style(for: .named("jf_alpha"), phonemeCount: tokens.count)
        return try engine.network.prepare(KokoroNetwork.Request(tokens: tokens, style: style, threads: 2))
    }

    @Test func prepareThenVocodeIsTheOnePass() throws {
        let engine = try Fixtures.engine()
        let phonemes = Self.inputs[0]
        let whole = try engine.synthesize(phonemes: phonemes, voice: .named("jf_alpha"), threads: 2)
        let v = try vocoding(phonemes, engine)
        #expect(v.durations == whole.durations)
        #expect(try engine.network.vocode(v, threads: 2).audio == whole.audio)
        // A window over the whole chunk is the one pass too.
        #expect(try engine.network.vocodeWindow(v, frames: 0..<v.frameCount, context: 8, threads: 2) == whole.audio)
    }

    /// Streamed against one pass, on every input, with the head sized for a fast machine (0.15 s
    /// of generator per second of audio) and a slower one (0.2, the guess for int8 with VNNI),
    /// and a prior from another sentence in the same voice: the frame-aligned log-mel distance
    /// stays within 1 dB on average, the seams step no further than the one pass ever does,
    /// and the length is the one pass's.
    @Test(arguments: [0.15, 0.2])
    func piecesStayCloseToTheOnePass(_ pace: Double) throws {
        let engine = try Fixtures.engine()
        let vocodings = try Self.inputs.map { try vocoding($0, engine) }
        let passes = try vocodings.map { try engine.network.vocode($0, threads: 2) }
        var distances: [Double] = []
        for (i, v) in vocodings.enumerated() {
            let one = passes[i].audio
            let prior = passes[(i + 1) % passes.count].statistics
            var vocoder = StreamingVocoder(network: engine.network, vocoding: v, pace: pace, prior: prior)
            var streamed: [Float] = [], seams: [Int] = []
            while let piece = try vocoder.next(threads: 2) {
                if !streamed.isEmpty { seams.append(streamed.count) }
                streamed += piece
            }
            #expect(vocoder.headEnds.count == 2, "a fast machine streams inside the chunk")
            #expect(streamed.count == one.count)
            #expect(Array(streamed[(seams.last! + StreamingVocoder.crossfadeSamples)...]) == Array(one[(seams.last! + StreamingVocoder.crossfadeSamples)...]),
                    "after the head, the one pass's own samples")
            let distance = AudioMetrics.logMelFrameDistance(streamed, one)
            distances.append(distance)
            let largestStep = Self.largestStep(one, 0..<one.count)
            for seam in seams {
                let around = max(0, seam - 48)..<min(streamed.count, seam + 48 + StreamingVocoder.crossfadeSamples)
                #expect(Self.largestStep(streamed, around) <= largestStep, "a click at sample \(seam)")
            }
            print("pace \(pace), \(v.frameCount) frames, head \(vocoder.headEnds): log-mel \(String(format: "%.2f", distance)) dB")
        }
        let mean = distances.reduce(0, +) / Double(distances.count)
        #expect(mean <= 1.0, "mean log-mel distance \(mean) dB")
    }

    /// Without a prior (a voice's first stream) the head is further from the one pass, but still
    /// the same length and click-free.
    @Test func withoutAPriorTheHeadIsRougherButSeamless() throws {
        let engine = try Fixtures.engine()
        let v = try vocoding(Self.inputs[1], engine)
        let one = try engine.network.vocode(v, threads: 2).audio
        var vocoder = StreamingVocoder(network: engine.network, vocoding: v, pace: 0.15)
        var streamed: [Float] = [], seams: [Int] = []
        while let piece = try vocoder.next(threads: 2) {
            if !streamed.isEmpty { seams.append(streamed.count) }
            streamed += piece
        }
        #expect(streamed.count == one.count)
        let largestStep = Self.largestStep(one, 0..<one.count)
        for seam in seams {
            #expect(Self.largestStep(streamed, (seam - 48)..<(seam + 48 + StreamingVocoder.crossfadeSamples)) <= largestStep)
        }
        let distance = AudioMetrics.logMelFrameDistance(streamed, one)
        print("no prior: log-mel \(String(format: "%.2f", distance)) dB")
        #expect(distance < 2.0)
    }

    struct Abandoned: Error {}

    /// A pass stops at its checkpoints: the generator calls one between its blocks, and a
    /// throw from it abandons the pass (how a stopped stream frees its compute lane).
    @Test func aPassIsAbandonedAtItsNextCheckpoint() throws {
        let engine = try Fixtures.engine()
        let v = try vocoding(Self.inputs[1], engine)
        let calls = LockedCounter()
        _ = try engine.network.vocode(v, threads: 2, checkpoint: { calls.add() })
        #expect(calls.value >= 8, "checkpoints in one generator pass: \(calls.value)")
        let before = LockedCounter()
        #expect(throws: Abandoned.self) {
            _ = try engine.network.vocode(v, threads: 2, checkpoint: {
                before.add()
                if before.value == 3 { throw Abandoned() }
            })
        }
        #expect(before.value == 3)
        #expect(throws: Abandoned.self) {
            _ = try engine.network.prepare(KokoroNetwork.Request(tokens: try engine.vocabulary.encode(Self.inputs[0]),
                                                                 style: v.style + v.style, threads: 2),
                                           checkpoint: { throw Abandoned() })
        }
    }

    @Test func aShortChunkOrASlowMachineGetsOnePass() throws {
        #expect(StreamingVocoder.headEnds(frameCount: 40, generatorPace: 0.15).isEmpty)
        #expect(StreamingVocoder.headEnds(frameCount: 500, generatorPace: 0.5).isEmpty)
        let ends = StreamingVocoder.headEnds(frameCount: 500, generatorPace: 0.15)
        #expect(ends.count == 2 && ends[0] < ends[1] && ends[1] < 500)
        // Each piece is planned to be ready before the audio before it has played out.
        let (w0, a, f) = (Double(ends[0]), Double(ends[1]), 500.0)
        let k = StreamingVocoder.margin * 0.15, ctx = Double(StreamingVocoder.context)
        #expect(k * (a + 1 + ctx) <= w0)
        #expect(k * (a + 1 + ctx + f) <= a)
    }

    /// A consumer that skips the opening pause (the daemon) gets pieces sized from its end:
    /// the first holds 0.3 s of what is played, and both deadlines count from the pause's end.
    @Test func piecesForAConsumerThatSkipsTheLeadingPause() throws {
        let lead = 22, f = 500, g = 0.15
        let plain = StreamingVocoder.headEnds(frameCount: f, generatorPace: g)
        let ends = StreamingVocoder.headEnds(frameCount: f, generatorPace: g, lead: lead)
        #expect(ends.count == 2 && ends[0] >= lead + 24 && ends[1] > plain[1])
        let k = StreamingVocoder.margin * g, ctx = Double(StreamingVocoder.context)
        let (w0, a) = (Double(ends[0] - lead), Double(ends[1]))
        #expect(k * (a + 1 + ctx) <= w0)
        #expect(k * (a + 1 + ctx + Double(f)) <= a - Double(lead))
    }

    static func largestStep(_ x: [Float], _ range: Range<Int>) -> Float {
        var m: Float = 0
        for i in range.dropFirst() where i < x.count { m = max(m, abs(x[i] - x[i - 1])) }
        return m
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
