import KokoroModel

/// One event of a speech stream: audio chunks in order, then one summary.
public enum SpeechEvent: Sendable {
    case audio(AudioChunk)
    case finished(SpeechSummary)
}

/// A piece of the utterance: the audio of one chunk of text, with its timestamps (or an early
/// piece of that audio, see ``completesChunk``).
public struct AudioChunk: Sendable {
    /// Position of the chunk in the stream, from 0.
    public var index: Int
    /// Mono samples at ``sampleRate``.
    public var samples: [Float]
    public var sampleRate: Int
    /// Offset of the first sample in the whole utterance, in samples.
    public var offset: Int
    /// The chunk's range in the input text, in Unicode code points (end exclusive).
    public var textRange: Range<Int>
    /// The phonemes the network spoke for this chunk.
    public var phonemes: String
    /// Timestamps of the chunk's words, in seconds from the start of the utterance.
    public var words: [WordTimestamp]
    /// Sentences that end in this chunk (a sentence cut across chunks is reported once, whole).
    public var sentences: [SentenceTimestamp]
    /// Frames of 600 samples per token, the two boundary pads included.
    public var durations: [Int]
    /// What this chunk's forward pass cost, stage by stage, and how long it waited for a lane.
    public var timings: StageTimings
    /// False for the early pieces of a chunk rendered in pieces (the first chunk of a stream,
    /// for early first audio, see ``SpeechOptions/earlyFirstAudio``): they carry audio only,
    /// and the chunk's words, sentences, durations and timings come with its last piece,
    /// which has the same ``index``.
    public var completesChunk: Bool

    /// A chunk as the pipeline makes it; public so that interface tests can build fakes.
    public init(index: Int, samples: [Float], sampleRate: Int, offset: Int, textRange: Range<Int>, phonemes: String,
                words: [WordTimestamp], sentences: [SentenceTimestamp], durations: [Int],
                timings: StageTimings = StageTimings(), completesChunk: Bool = true) {
        self.index = index
        self.samples = samples
        self.sampleRate = sampleRate
        self.offset = offset
        self.textRange = textRange
        self.phonemes = phonemes
        self.words = words
        self.sentences = sentences
        self.durations = durations
        self.timings = timings
        self.completesChunk = completesChunk
    }

    /// Seconds from the start of the utterance to this chunk's first sample.
    public var startTime: Double { Double(offset) / Double(sampleRate) }
    /// Length of this chunk in seconds.
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}

/// What a whole synthesis cost and produced.
public struct SpeechSummary: Sendable, Codable, Equatable {
    public var chunkCount: Int
    public var wordCount: Int
    public var sampleCount: Int
    public var sampleRate: Int
    /// Seconds from the request to the first audio chunk.
    public var timeToFirstAudio: Double
    /// Wall-clock seconds for the whole synthesis.
    public var synthesisSeconds: Double
    /// The chunks' stage timings summed, with the front end and the time spent queued.
    public var timings: StageTimings

    public init(chunkCount: Int, wordCount: Int, sampleCount: Int, sampleRate: Int, timeToFirstAudio: Double,
                synthesisSeconds: Double, timings: StageTimings = StageTimings()) {
        self.chunkCount = chunkCount
        self.wordCount = wordCount
        self.sampleCount = sampleCount
        self.sampleRate = sampleRate
        self.timeToFirstAudio = timeToFirstAudio
        self.synthesisSeconds = synthesisSeconds
        self.timings = timings
    }
    /// Seconds of audio produced.
    public var audioSeconds: Double { Double(sampleCount) / Double(sampleRate) }
    /// Synthesis seconds per audio second (below 1 is faster than real time).
    public var realTimeFactor: Double { audioSeconds > 0 ? synthesisSeconds / audioSeconds : 0 }
}

/// A whole utterance, as ``SpeechSynthesizer/synthesize(_:options:)`` returns it.
public struct Speech: Sendable {
    public var samples: [Float]
    public var sampleRate: Int
    public var words: [WordTimestamp]
    public var sentences: [SentenceTimestamp]
    public var summary: SpeechSummary
    public var duration: Double { Double(samples.count) / Double(sampleRate) }
}
