/// Seconds spent in each stage of a synthesis: one forward pass (the network's stages), or a
/// whole stream (summed over its chunks, with the text front end and the time spent waiting
/// for a compute lane). Ready for logs, `/metrics` and `koe bench`.
public struct StageTimings: Sendable, Codable, Equatable {
    public var albert: Double = 0
    public var durationEncoder: Double = 0
    public var durations: Double = 0
    public var prosody: Double = 0
    public var textEncoder: Double = 0
    public var decoder: Double = 0
    public var source: Double = 0
    public var generator: Double = 0
    public var istft: Double = 0
    /// Normalising and phonemizing the text (the pipeline's part, not the network's).
    public var frontEnd: Double = 0
    /// Waiting for a free compute lane.
    public var queueWait: Double = 0

    public init() {}

    /// The network's stages, by name.
    public var networkStages: [(name: String, seconds: Double)] {
        [("albert", albert), ("durationEncoder", durationEncoder), ("durations", durations), ("prosody", prosody),
         ("textEncoder", textEncoder), ("decoder", decoder), ("source", source), ("generator", generator),
         ("istft", istft)]
    }

    /// Seconds in the network's forward passes.
    public var network: Double { networkStages.reduce(0) { $0 + $1.seconds } }

    /// Stage by stage sums.
    public static func + (a: StageTimings, b: StageTimings) -> StageTimings {
        var s = StageTimings()
        s.albert = a.albert + b.albert
        s.durationEncoder = a.durationEncoder + b.durationEncoder
        s.durations = a.durations + b.durations
        s.prosody = a.prosody + b.prosody
        s.textEncoder = a.textEncoder + b.textEncoder
        s.decoder = a.decoder + b.decoder
        s.source = a.source + b.source
        s.generator = a.generator + b.generator
        s.istft = a.istft + b.istft
        s.frontEnd = a.frontEnd + b.frontEnd
        s.queueWait = a.queueWait + b.queueWait
        return s
    }

    public static func += (a: inout StageTimings, b: StageTimings) { a = a + b }
}
