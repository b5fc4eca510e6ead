import Foundation

/// The daemon's line protocol: one JSON object per line each way, UTF-8, `\n`-terminated,
/// every object carrying the protocol version `v`. A connection may send several requests;
/// each gets one reply line, and `say` with `wait` gets a second line when it ends.
public enum DaemonProtocol {
    /// Bumped on any change a client of the other version would misread.
    public static let version = 1
    /// A request line longer than this gets an error and the connection is closed.
    public static let maxLineBytes = 8 << 20
}

/// What a client asks.
public enum DaemonCommand: String, Codable, Sendable, CaseIterable {
    /// Speak `text` now (preempting) or after what is queued (`queue`).
    case say
    /// Cork the stream; `resume` continues where it stopped.
    case pause
    case resume
    /// Drop what plays and what is queued.
    case stop
    /// State, text and position.
    case status
    /// Stop playback and exit.
    case kill
    /// Is a daemon there (and which version)?
    case ping
}

/// One request line.
public struct DaemonRequest: Codable, Sendable, Equatable {
    public var v: Int
    public var cmd: DaemonCommand
    /// `say`: the text to speak.
    public var text: String?
    /// `say`: a voice name or blend; nil for the daemon's default.
    public var voice: String?
    /// `say`: speaking rate, 0.5 to 2.0.
    public var speed: Float?
    /// `say`: a language code (`a`, `b`, `e`, `f`, `h`, `i`, `p`).
    public var language: String?
    /// `say`: append to the queue instead of preempting.
    public var queue: Bool?
    /// `say`: also send a second reply when the text has been spoken (or stopped).
    public var wait: Bool?
    /// `stop`: only if this utterance is still playing or queued (a `say --wait` interrupted).
    public var id: Int?

    public init(_ cmd: DaemonCommand, text: String? = nil, voice: String? = nil, speed: Float? = nil,
                language: String? = nil, queue: Bool? = nil, wait: Bool? = nil, id: Int? = nil) {
        v = DaemonProtocol.version
        self.cmd = cmd
        self.text = text
        self.voice = voice
        self.speed = speed
        self.language = language
        self.queue = queue
        self.wait = wait
        self.id = id
    }
}

/// Playing, paused, or nothing to say.
public enum PlaybackState: String, Codable, Sendable {
    case idle, playing, paused
}

/// How a `say` ended, in its second reply (with `wait`).
public enum UtteranceEnd: String, Codable, Sendable {
    /// Spoken to the end.
    case done
    /// Dropped by `stop`, `kill` or a preempting `say`.
    case stopped
    /// Synthesis failed (the reply's `error` says why).
    case failed
}

/// One reply line. `ok` false always comes with `error`.
public struct DaemonReply: Codable, Sendable, Equatable {
    public var v: Int
    public var ok: Bool
    public var error: String?
    /// The utterance a `say` created (and that a status describes).
    public var id: Int?
    /// `say` with `wait`, second line: how the utterance ended.
    public var end: UtteranceEnd?
    public var state: PlaybackState?
    /// The text being spoken.
    public var text: String?
    /// Seconds of the current utterance played so far.
    public var position: Double?
    /// Seconds of audio synthesised so far for it (its length once synthesis is done).
    public var duration: Double?
    /// Whether synthesis of the current utterance has finished.
    public var synthesized: Bool?
    /// Utterances waiting after the current one.
    public var queued: Int?
    public var voice: String?
    /// The daemon's process id (status, ping).
    public var pid: Int?
    /// The model is still loading (status, ping).
    public var loading: Bool?

    public init(ok: Bool = true, error: String? = nil) {
        v = DaemonProtocol.version
        self.ok = ok
        self.error = error
    }

    public static func failure(_ message: String) -> DaemonReply { DaemonReply(ok: false, error: message) }
}
