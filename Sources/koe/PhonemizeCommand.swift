import ArgumentParser
import Foundation
import Koe
import Logging

/// `koe phonemize`: the phonemes Kokoro reads for a text, and the words they came from.
struct Phonemize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phonemize",
        abstract: "Print the phonemes Kokoro reads for a text.",
        discussion: """
            English (a, b) and Japanese (j, ja) follow misaki, Kokoro's own G2P; other languages
            use espeak-ng.
            With --jsonl, reads JSON lines {"text": ...} (optionally "id", "language" or "voice")
            from standard input and writes one line per input:
            {"text": ..., "phonemes": ..., "words": [{"text", "start", "end", "phonemes"}]}
            where start/end are Unicode code-point offsets into the text, end exclusive.
            """
    )

    @Argument(help: "The text to phonemize (omit with --jsonl).")
    var text: String?

    @Option(name: [.short, .long], help: "Language: a (American English), b (British), j (Japanese), e, f, h, i, p, or a code like ja. Default: from --voice, else a.")
    var language: KoeLanguage?

    @Option(help: "A Kokoro voice name; its first letter picks the language (af_heart → a).")
    var voice: String?

    @Flag(help: "Read JSON lines from standard input and write JSON lines.")
    var jsonl = false

    @Flag(help: "Also print each word with its code-point range and phonemes.")
    var words = false

    @OptionGroup var lexicons: LexiconOptions

    func validate() throws {
        if jsonl && text != nil { throw ValidationError("give the text as an argument or use --jsonl, not both") }
        if !jsonl && text == nil { throw ValidationError("give a text to phonemize, or --jsonl to read JSON lines") }
    }

    func run() throws {
        var cache = PhonemizerCache(command: self)
        if let text {
            do {
                let result = try cache.phonemizer(language: nil, voice: nil).phonemize(text)
                print(result.phonemes)
                if words {
                    for w in result.words { print("\(w.start)..<\(w.end)\t\(w.text)\t\(w.phonemes)") }
                }
            } catch {
                FileHandle.standardError.write(Data("koe phonemize: \(error)\n".utf8))
                throw ExitCode.failure
            }
            return
        }
        var failures = 0
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy(\.isWhitespace) { continue }
            let output: JSONLine
            do {
                let input = try JSONDecoder().decode(JSONInput.self, from: Data(line.utf8))
                let result = try cache.phonemizer(language: input.language, voice: input.voice).phonemize(input.text)
                output = JSONLine(
                    id: input.id, text: input.text, phonemes: result.phonemes,
                    words: result.words.map { JSONWord(text: $0.text, start: $0.start, end: $0.end, phonemes: $0.phonemes) })
            } catch {
                failures += 1
                let text = (try? JSONDecoder().decode(JSONInput.self, from: Data(line.utf8)))?.text
                output = JSONLine(id: nil, text: text ?? "", error: Self.describe(error))
                FileHandle.standardError.write(Data("koe phonemize: \(Self.describe(error))\n".utf8))
            }
            FileHandle.standardOutput.write(Data((output.json + "\n").utf8))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private static func describe(_ error: Error) -> String {
        if let error = error as? DecodingError {
            switch error {
            case .keyNotFound(let key, _): return "input line has no \"\(key.stringValue)\" field"
            case .dataCorrupted: return "input line is not valid JSON"
            default: return "input line is not {\"text\": string}"
            }
        }
        return "\(error)"
    }
}

/// One G2P per language, created on first use (loading lexicons takes tens of milliseconds).
private struct PhonemizerCache {
    let command: Phonemize
    var loaded: [KoeLanguage: G2P] = [:]

    init(command: Phonemize) {
        self.command = command
    }

    mutating func phonemizer(language code: String?, voice: String?) throws -> G2P {
        let language = try resolve(code: code, voice: voice)
        if let g2p = loaded[language] { return g2p }
        let logger = Logger(label: "koe.text") { label in StreamLogHandler.standardError(label: label) }
        let g2p = try G2P(
            language: language,
            lexiconDirectory: command.lexicons.directory,
            userLexicon: command.lexicons.userLexiconURL,
            logger: logger)
        loaded[language] = g2p
        return g2p
    }

    private func resolve(code: String?, voice: String?) throws -> KoeLanguage {
        // A language (the line's, else the command line's) before a voice (likewise).
        if let code { return try KoeLanguage.parse(code) }
        if let language = command.language { return language }
        if let voice = voice ?? command.voice { return try KoeLanguage.parse(voice: voice) }
        return .americanEnglish
    }
}

private struct JSONInput: Decodable {
    var text: String
    var id: String?
    var language: String?
    var voice: String?

    enum CodingKeys: String, CodingKey { case text, id, language, voice }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decode(String.self, forKey: .text)
        // Ids may be strings or numbers; they are passed through as strings.
        id = (try? c.decodeIfPresent(String.self, forKey: .id)) ?? (try? c.decodeIfPresent(Int.self, forKey: .id)).flatMap { $0.map(String.init) }
        language = try c.decodeIfPresent(String.self, forKey: .language)
        voice = try c.decodeIfPresent(String.self, forKey: .voice)
    }
}

private struct JSONWord {
    var text: String
    var start: Int
    var end: Int
    var phonemes: String

    var json: String {
        "{\"text\": \(jsonString(text)), \"start\": \(start), \"end\": \(end), \"phonemes\": \(jsonString(phonemes))}"
    }
}

/// One output line, written by hand so keys keep the documented order.
private struct JSONLine {
    var id: String?
    var text: String
    var phonemes: String?
    var words: [JSONWord]?
    var error: String?

    init(id: String?, text: String, phonemes: String? = nil, words: [JSONWord]? = nil, error: String? = nil) {
        self.id = id
        self.text = text
        self.phonemes = phonemes
        self.words = words
        self.error = error
    }

    var json: String {
        var fields: [String] = []
        if let id { fields.append("\"id\": \(jsonString(id))") }
        fields.append("\"text\": \(jsonString(text))")
        if let phonemes { fields.append("\"phonemes\": \(jsonString(phonemes))") }
        if let words { fields.append("\"words\": [" + words.map(\.json).joined(separator: ", ") + "]") }
        if let error { fields.append("\"error\": \(jsonString(error))") }
        return "{" + fields.joined(separator: ", ") + "}"
    }
}

/// A JSON string literal (the captions writer's, shared).
private func jsonString(_ s: String) -> String { CaptionWriter.jsonString(s) }
