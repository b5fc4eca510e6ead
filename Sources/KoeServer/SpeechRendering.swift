import Foundation
import Koe
import NIOCore

/// What a streamed speech response is made of, before it is rendered for the wire.
enum SpeechPiece {
    /// A chunk's audio encoded in the response format, with its words.
    case chunk(AudioChunk, [UInt8])
    /// The encoder's last bytes and what the request used.
    case finished(tail: [UInt8], usage: Usage)
    /// An error after the headers were sent.
    case failed(APIError)

    struct Usage: Encodable {
        var input_tokens: Int
        var output_tokens: Int
        var total_tokens: Int

        init(input: Int, output: Int) {
            input_tokens = input
            output_tokens = output
            total_tokens = input + output
        }
    }
}

/// The three wire forms of a speech stream. Each returns the buffers to send, or nil when
/// the format cannot carry an error (raw audio: the response is cut short instead).
enum SpeechRendering {
    @Sendable static func audio(_ piece: SpeechPiece) -> [ByteBuffer]? {
        switch piece {
        case .chunk(_, let bytes): [ByteBuffer(bytes: bytes)]
        case .finished(let tail, _): [ByteBuffer(bytes: tail)]
        case .failed: nil
        }
    }

    /// OpenAI's events (`speech.audio.delta`, `speech.audio.done` with `usage`) plus Koe's
    /// `speech.words` after each chunk's audio; each event is one `data:` line and a blank line.
    @Sendable static func sse(_ piece: SpeechPiece) -> [ByteBuffer]? {
        switch piece {
        case .chunk(let chunk, let bytes):
            var events: [ByteBuffer] = []
            if !bytes.isEmpty { events.append(event(Delta(audio: Data(bytes).base64EncodedString()))) }
            // An early piece of a chunk has no words yet: they come after the chunk's last piece.
            if chunk.completesChunk { events.append(event(Words(words: chunk.words.map(Words.Word.init)))) }
            return events
        case .finished(let tail, let usage):
            var events: [ByteBuffer] = []
            if !tail.isEmpty { events.append(event(Delta(audio: Data(tail).base64EncodedString()))) }
            events.append(event(Done(usage: usage)))
            return events
        case .failed(let error):
            return [event(ErrorEvent(error: .init(message: error.message, type: error.type, param: error.param, code: error.code)))]
        }
    }

    /// Kokoro-FastAPI's streamed captioned speech: one JSON object per line.
    @Sendable static func ndjson(_ piece: SpeechPiece, format: String) -> [ByteBuffer]? {
        func line(_ value: some Encodable) -> ByteBuffer {
            var buffer = (try? JSONCoding.buffer(value)) ?? ByteBuffer()
            buffer.writeString("\n")
            return buffer
        }
        switch piece {
        case .chunk(let chunk, let bytes):
            return [line(CaptionedSpeech(audio: Data(bytes).base64EncodedString(), audio_format: format,
                                         timestamps: chunk.words.map(CaptionedSpeech.Timestamp.init)))]
        case .finished(let tail, _):
            return tail.isEmpty ? [] : [line(CaptionedSpeech(audio: Data(tail).base64EncodedString(), audio_format: format, timestamps: []))]
        case .failed(let error):
            return [line(APIError.Body(error: .init(message: error.message, type: error.type, param: error.param, code: error.code)))]
        }
    }

    private static func event(_ value: some Encodable) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        if let json = try? JSONCoding.encoder.encode(value) { buffer.writeBytes(json) }
        buffer.writeString("\n\n")
        return buffer
    }

    struct Delta: Encodable {
        var type = "speech.audio.delta"
        var audio: String
    }

    struct Done: Encodable {
        var type = "speech.audio.done"
        var usage: SpeechPiece.Usage
    }

    struct Words: Encodable {
        var type = "speech.words"
        var words: [Word]

        struct Word: Encodable {
            var text: String
            var start: Double
            var end: Double
            var charStart: Int
            var charEnd: Int

            init(_ w: WordTimestamp) {
                text = w.text
                start = Milliseconds.round(w.start)
                end = Milliseconds.round(w.end)
                charStart = w.charStart
                charEnd = w.charEnd
            }
        }
    }

    struct ErrorEvent: Encodable {
        var type = "error"
        var error: APIError.Body.Detail
    }
}

/// `/v1/audio/captioned_speech`'s body, in Kokoro-FastAPI's field names.
struct CaptionedSpeech: Encodable {
    var audio: String
    var audio_format: String
    var timestamps: [Timestamp]

    struct Timestamp: Encodable {
        var word: String
        var start_time: Double
        var end_time: Double

        init(_ w: WordTimestamp) {
            word = w.text
            start_time = Milliseconds.round(w.start)
            end_time = Milliseconds.round(w.end)
        }
    }
}

/// Times in seconds with the millisecond precision the CLI writes.
enum Milliseconds {
    static func round(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}
