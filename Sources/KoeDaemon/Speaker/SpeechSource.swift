import Foundation
import Koe
import KoeText

/// What `say` asks for, checked before it is accepted.
public struct Utterance: Sendable, Equatable {
    public var text: String
    public var voice: String?
    public var speed: Float
    public var language: String?

    public init(text: String, voice: String? = nil, speed: Float = SpeechOptions.defaultSpeed, language: String? = nil) {
        self.text = text
        self.voice = voice
        self.speed = speed
        self.language = language
    }
}

/// Where the daemon's audio comes from: Koe's synthesizer, or a stand-in in tests.
public protocol SpeechSource: Sendable {
    var sampleRate: Int { get }
    /// Throws a message for a request that cannot be spoken (unknown voice, empty text, …).
    func check(_ utterance: Utterance) throws
    /// The utterance's audio, chunk by chunk as it is synthesised; cancelling the consumer
    /// stops synthesis before the next chunk.
    func audio(for utterance: Utterance) -> AsyncThrowingStream<[Float], Error>
}

/// Koe's ``SpeechSynthesizer``, loaded once and kept warm.
public struct SynthesizerSource: SpeechSource {
    public let synthesizer: SpeechSynthesizer

    public init(_ synthesizer: SpeechSynthesizer) { self.synthesizer = synthesizer }

    public var sampleRate: Int { synthesizer.sampleRate }

    /// The utterance as the library's options; its language code is parsed here, once.
    func options(_ u: Utterance) throws -> SpeechOptions {
        var options = SpeechOptions(voice: u.voice, speed: u.speed, language: try u.language.map { try KoeLanguage.parse($0) })
        options.skipsLeadingPause = true  // see nextSamples()
        return options
    }

    public func check(_ u: Utterance) throws {
        do {
            let options = try options(u)
            try synthesizer.check(u.text, options: options)
            _ = try synthesizer.frontEnd(for: synthesizer.language(for: options))
        } catch {
            throw DaemonError.badRequest("\(error)")
        }
    }

    public func audio(for u: Utterance) -> AsyncThrowingStream<[Float], Error> {
        let options: SpeechOptions
        do { options = try self.options(u) } catch { return AsyncThrowingStream(unfolding: { throw error }) }
        let events = EventIterator(synthesizer.stream(u.text, options: options).makeAsyncIterator())
        return AsyncThrowingStream(unfolding: { try await events.nextSamples() })
    }
}

/// The synthesizer's iterator, held for the one consumer of the stream built around it.
private final class EventIterator: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<SpeechEvent, Error>.AsyncIterator

    init(_ iterator: AsyncThrowingStream<SpeechEvent, Error>.AsyncIterator) { self.iterator = iterator }

    /// Until the first sound: the utterance's leading silence (Kokoro's opening pad, about a
    /// quarter of a second) is not played, so speech starts as soon as it can.
    private var leading = true

    func nextSamples() async throws -> [Float]? {
        while let event = try await iterator.next() {
            guard case .audio(let chunk) = event else { continue }
            guard leading else { return chunk.samples }
            guard let onset = chunk.samples.firstIndex(where: { abs($0) > LeadingSilence.threshold }) else { continue }
            leading = false
            return Array(chunk.samples[max(0, onset - LeadingSilence.keep)...])
        }
        return nil
    }
}

/// What the daemon cuts from the start of an utterance.
enum LeadingSilence {
    /// Samples quieter than this (about −50 dBFS) before the first louder one are silence.
    static let threshold: Float = 0.003
    /// Samples kept before the first sound (20 ms): the onset keeps its own fade-in.
    static let keep = 480
}
