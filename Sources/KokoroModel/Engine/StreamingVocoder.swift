import Foundation

/// Renders one chunk's audio in pieces, so that the first samples are ready long before the
/// chunk's one generator pass is.
///
/// The generator's instance norms take their statistics over the whole chunk, so no window of
/// it can be rendered exactly before the whole chunk is. The pieces are therefore one or two
/// *head* pieces, each rendered from the chunk's start to just past its own end (statistics
/// from that prefix: an approximation that improves as the prefix grows), then the rest of the
/// chunk from the exact one pass. Successive pieces are joined by a 10 ms raised-cosine
/// crossfade, so the seams do not click. Durations, and so timestamps, are the one pass's;
/// only the head's samples differ from it.
///
/// Each ``next(threads:)`` is one turn of compute, to be scheduled like a chunk: the caller
/// plays a piece while the next is rendered. The head is sized from the generator's pace on
/// this machine: long enough that each piece is ready before the audio before it has played
/// out, short for early first audio.
public struct StreamingVocoder: Sendable {
    /// Samples over which successive pieces are crossfaded (10 ms).
    public static let crossfadeSamples = 240
    /// Generator frames rendered past a head piece's end, so that its convolutions see all
    /// they need (the generator's receptive field is under 8 frames).
    public static let context = 8
    /// Playback must not catch up with rendering: pieces are planned for a pace this much slower.
    public static let margin = 1.25
    /// The first piece's length at least (seconds).
    public static let firstPieceSeconds = 0.3
    /// What a prior's statistics count for against a head piece's own, in seconds of audio.
    public static let defaultPriorSeconds = 4.0
    /// How much more a head piece costs per second of audio than the one pass, until measured:
    /// it is short, renders its context and source again and starts its own turn (1.25-1.53x
    /// on a 2-core Xeon, where sizing the first piece at the one pass's pace let the second come
    /// up to 60 ms late).
    public static let headOverhead = 1.5

    public let network: KokoroNetwork
    public let vocoding: KokoroNetwork.Vocoding
    /// Generator frames at the chunk's start that the consumer does not play (its leading
    /// pause): playback, and so the pieces' deadlines, start after them.
    public let lead: Int
    /// Where the head pieces end, in generator frames (the last one revised once the first
    /// piece has shown this machine's pace, when none was known).
    public private(set) var headEnds: [Int]
    private let paceIsKnown: Bool
    private var piece = 0
    /// Samples handed out so far.
    public private(set) var emitted = 0
    /// The previous render's samples just past `emitted`, to crossfade from.
    private var tail: [Float] = []
    /// The one pass, once rendered.
    public private(set) var exact: KokoroNetwork.Rendering?
    /// Statistics of an earlier pass of the same voice, that the head pieces' own are pulled toward.
    public let prior: KokoroNetwork.GeneratorStatistics?
    public let priorSeconds: Double
    /// Told of the one pass once it is rendered.
    private let onePass: @Sendable (KokoroNetwork.Rendering) -> Void
    /// Told of each head piece's pace (seconds per second of audio rendered, context included).
    private let onPiece: @Sendable (Double) -> Void

    /// `pace`: seconds the generator takes per second of audio at these threads, measured
    /// (`paceIsKnown`) or a guess to be checked against the first piece; nil renders the chunk
    /// in one piece, the one pass. `piecePace`: the same for a head piece, as measured before
    /// (nil: `pace` × ``headOverhead``). `lead`: frames at the start the consumer skips (see ``lead``).
    public init(network: KokoroNetwork, vocoding: KokoroNetwork.Vocoding, pace: Double?, paceIsKnown: Bool = true,
                piecePace: Double? = nil, lead: Int = 0,
                prior: KokoroNetwork.GeneratorStatistics? = nil, priorSeconds: Double = StreamingVocoder.defaultPriorSeconds,
                onePass: @escaping @Sendable (KokoroNetwork.Rendering) -> Void = { _ in },
                onPiece: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.network = network
        self.vocoding = vocoding
        let lead = min(max(0, lead), vocoding.frameCount)
        self.lead = lead
        self.prior = prior
        self.priorSeconds = priorSeconds
        self.headEnds = pace.map {
            Self.headEnds(frameCount: vocoding.frameCount, generatorPace: $0, piecePace: piecePace, lead: lead)
        } ?? []
        self.paceIsKnown = paceIsKnown
        self.onePass = onePass
        self.onPiece = onPiece
    }

    /// Whether every piece has been handed out.
    public var isFinished: Bool { piece > headEnds.count }

    /// The next piece's samples (nil once the chunk is done). The last piece is the rest of
    /// the chunk from the one pass; together the pieces have exactly the one pass's length.
    /// `checkpoint` is called between the generator's blocks: a throw abandons the piece.
    public mutating func next(threads: Int, checkpoint: () throws -> Void = {}) rethrows -> [Float]? {
        guard !isFinished else { return nil }
        let spf = KokoroNetwork.samplesPerGeneratorFrame
        let rendered: [Float]
        let end: Int
        if piece < headEnds.count {
            let frames = headEnds[piece]
            let t0 = DispatchTime.now().uptimeNanoseconds
            // Rendered to one frame past the end: the crossfade into the next piece needs it.
            rendered = try network.vocodeWindow(vocoding, frames: 0..<(frames + 1), context: Self.context, threads: threads,
                                                prior: prior, priorSeconds: priorSeconds, checkpoint: checkpoint)
            end = frames * spf
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            let audio = Double((frames + 1 + Self.context) * spf) / Double(KokoroNetwork.sampleRate)
            onPiece(seconds / audio)
            if piece == 0 && !paceIsKnown { revisePlan(pace: seconds / audio) }
        } else {
            let pass = try network.vocode(vocoding, threads: threads, checkpoint: checkpoint)
            exact = pass
            onePass(pass)
            rendered = pass.audio
            end = pass.audio.count
        }
        piece += 1
        var out = Array(rendered[emitted..<end])
        let n = min(tail.count, out.count)
        for i in 0..<n {
            let w = Float(0.5 - 0.5 * cos(Double.pi * (Double(i) + 0.5) / Double(n)))
            out[i] = tail[i] * (1 - w) + out[i] * w
        }
        tail = Array(rendered[end..<min(rendered.count, end + Self.crossfadeSamples)])
        emitted = end
        return out
    }

    /// After the first piece, with the pace it showed: the second piece's end, so that the
    /// one pass is ready before the head has played (as long a head as the chunk allows).
    private mutating func revisePlan(pace: Double) {
        guard let first = headEnds.first else { return }
        let f = vocoding.frameCount
        let second = Self.secondEnd(frameCount: f, pace: pace, lead: lead)
        headEnds = second > first ? [first, min(second, f - 1)] : [first]
    }

    /// Frames the second head piece must reach: it renders the prefix `[0, A + 1 + context)`
    /// while the first piece plays, then the one pass renders all `F` frames, and both must be
    /// done before the `A − lead` frames after the skipped lead have played:
    /// `margin·g·(A + 1 + context + F) <= A − lead`.
    static func secondEnd(frameCount f: Int, pace g: Double, lead: Int = 0) -> Int {
        let k = margin * max(g, 0.01)
        guard k < 1 else { return Int.max }
        return Int(((k * Double(1 + context + f) + Double(lead)) / (1 - k)).rounded(.up))
    }

    /// Head piece ends for a chunk of `frameCount` generator frames when the generator takes
    /// `generatorPace` seconds per second of audio: a first piece of about 0.3 s (longer if the
    /// second needs more time to render), then one that lasts while the one pass renders.
    /// Empty, meaning one pass, when the head would be most of the chunk (a short chunk or a
    /// slow machine).
    /// `piecePace`: seconds a head piece takes per second of audio (nil: `g` × ``headOverhead``).
    /// `lead`: frames at the start that are not played (the first piece then holds about
    /// 0.3 s past them).
    public static func headEnds(frameCount: Int, generatorPace g: Double, piecePace: Double? = nil, lead: Int = 0) -> [Int] {
        let framesPerSecond = Double(KokoroNetwork.sampleRate) / Double(KokoroNetwork.samplesPerGeneratorFrame)
        // Under a second of audio, one pass costs little more than the pieces would.
        guard Double(frameCount - lead) >= framesPerSecond else { return [] }
        let second = secondEnd(frameCount: frameCount, pace: g, lead: lead)
        guard second < lead + (frameCount - lead) * 2 / 3 else { return [] }
        // The first piece plays while the second renders, at a head piece's pace.
        let p = max(piecePace ?? g * headOverhead, g)
        let needed = Int((margin * p * Double(second + 1 + context)).rounded(.up))
        let opening = lead + max(Int((firstPieceSeconds * framesPerSecond).rounded(.up)), needed)
        return opening < second ? [opening, second] : [second]
    }
}
