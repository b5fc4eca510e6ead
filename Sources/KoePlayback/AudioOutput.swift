/// A mono float output stream kept open for the life of a speaker: written chunk by chunk as
/// speech is synthesised, paused and resumed in place, flushed to drop what is buffered.
///
/// Positions count frames (samples of the mono stream) since the stream was opened:
/// ``framesWritten`` is everything handed to ``write(_:)``, ``framesConsumed`` what has been
/// played or dropped by ``flush()``. Their difference is the audio still to be heard, so a
/// caller that remembers where an utterance started knows how far it has played.
public protocol AudioOutput: AnyObject, Sendable {
    /// Frames per second of the stream.
    var sampleRate: Int { get }
    /// Queues samples (-1...1) for playback and returns at once.
    func write(_ samples: [Float]) throws
    /// Silences the stream as quickly as the sound server allows, keeping what is buffered.
    func pause() throws
    /// Continues playback where ``pause()`` stopped it.
    func resume() throws
    /// Drops everything buffered and not yet played; the stream stays open and unpaused state unchanged.
    func flush() throws
    /// Waits until everything written has been played (returns at once when nothing is pending).
    func drain() async throws
    /// Whether ``pause()`` is in effect.
    var isPaused: Bool { get }
    /// Frames handed to ``write(_:)`` since the stream opened.
    var framesWritten: Int { get }
    /// Frames played or flushed since the stream opened (never more than ``framesWritten``).
    var framesConsumed: Int { get }
}

extension AudioOutput {
    /// Frames written but not yet played.
    public var framesPending: Int { max(0, framesWritten - framesConsumed) }

    /// Seconds of audio written but not yet played.
    public var secondsPending: Double { Double(framesPending) / Double(sampleRate) }
}

/// Why audio output failed; each message names what was attempted and what the system said.
public enum PlaybackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No sound server answered (PulseAudio or pipewire-pulse).
    case serverUnavailable(String)
    /// The server refused or dropped the stream.
    case streamFailed(String)
    /// The sample rate must be positive and at most 384 kHz.
    case badSampleRate(Int)
    /// Audio output is not built for this platform.
    case unsupportedPlatform

    public var description: String {
        switch self {
        case .serverUnavailable(let why):
            "no sound server: \(why) (start PulseAudio or pipewire-pulse, or set PULSE_SERVER)"
        case .streamFailed(let why): "audio stream failed: \(why)"
        case .badSampleRate(let rate): "sample rate must be 1 to 384000 Hz, got \(rate)"
        case .unsupportedPlatform: "audio output is not available on this platform"
        }
    }
}

/// The platform's sound output: PulseAudio (or pipewire-pulse) on Linux, AVAudioEngine on macOS.
public enum SystemAudioOutput {
    public static func open(sampleRate: Int, applicationName: String = "Koe") throws -> any AudioOutput {
        #if os(Linux)
        return try PulseAudioOutput(sampleRate: sampleRate, applicationName: applicationName)
        #elseif canImport(AVFoundation)
        return try AVAudioOutput(sampleRate: sampleRate)
        #else
        throw PlaybackError.unsupportedPlatform
        #endif
    }
}
