import Foundation
import Koe
import KoeAudio

/// One request's speech: pulls events from the synthesizer's stream and encodes their audio.
///
/// Used by one task at a time (the handler pulls the first event, then the producer task
/// takes over), which is what makes the unchecked `Sendable` safe.
final class SpeechSession: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<SpeechEvent, any Error>.AsyncIterator
    private let encoder: any AudioEncoder
    let format: AudioFormat
    private let volume: Float
    let sampleRate: Int
    /// Phoneme tokens the network saw (pads included) and audio frames it produced: the
    /// `usage` of the SSE done event.
    private(set) var inputTokens = 0
    private(set) var outputFrames = 0

    init(stream: AsyncThrowingStream<SpeechEvent, any Error>, format: AudioFormat, volume: Float, sampleRate: Int) throws {
        iterator = stream.makeAsyncIterator()
        encoder = try AudioEncoderFactory.make(format: format, sampleRate: sampleRate)
        self.format = format
        self.volume = volume
        self.sampleRate = sampleRate
    }

    /// The next event (its forward pass runs on the synthesizer's compute lane).
    func next() async throws -> SpeechEvent? {
        let event = try await iterator.next()
        if case .audio(let chunk)? = event {
            inputTokens += chunk.durations.count
            outputFrames += chunk.durations.reduce(0, +)
        }
        return event
    }

    /// The chunk's samples at the request's volume.
    func samples(of chunk: AudioChunk) -> [Float] {
        volume == 1 ? chunk.samples : chunk.samples.map { $0 * volume }
    }

    /// The encoded bytes of a chunk, ready to send (may be empty while a codec fills a frame).
    func encode(_ chunk: AudioChunk) throws -> [UInt8] {
        try encoder.encode(samples(of: chunk))
    }

    /// The stream's last bytes.
    func finish() throws -> [UInt8] {
        try encoder.finish()
    }

    /// Every remaining event, as one file with exact headers (WAV and FLAC lengths, the MP3
    /// tag), with all word timestamps.
    func whole(after first: SpeechEvent?) async throws -> (bytes: [UInt8], words: [WordTimestamp], summary: SpeechSummary?) {
        var samples: [Float] = []
        var words: [WordTimestamp] = []
        var summary: SpeechSummary?
        var event = first
        while let current = event {
            switch current {
            case .audio(let chunk):
                samples += self.samples(of: chunk)
                words += chunk.words
            case .finished(let s):
                summary = s
            }
            event = try await next()
        }
        let options = AudioEncoderOptions(mp3InfoTag: true)
        let bytes = try AudioEncoderFactory.encode(samples, format: format, sampleRate: sampleRate, options: options)
        return (bytes, words, summary)
    }
}
