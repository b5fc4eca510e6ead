import Foundation

/// Pronunciations supplied by the user; they override everything else.
///
/// The file is either a JSON object `{"Kokoro": "kˈOkəɹO", ...}` or lines of
/// `word<TAB or spaces>phonemes`, with `#` starting a comment. A word matches as written
/// first, then in lowercase, so `kokoro` also covers `Kokoro` and `KOKORO`.
/// Phonemes are written in Kokoro's symbols (misaki's alphabet).
public struct UserLexicon: Sendable, Equatable {
    public private(set) var entries: [String: String]

    public init(entries: [String: String] = [:]) {
        self.entries = entries
    }

    /// Reads a user lexicon file.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw TextError.userLexiconMalformed(path: url.path, line: 0, reason: "cannot read the file as UTF-8")
        }
        try self.init(parsing: text, path: url.path)
    }

    init(parsing text: String, path: String) throws {
        var entries: [String: String] = [:]
        if text.trimmingWhitespace().hasPrefix("{") {
            var parser = LexiconParser(bytes: Array(text.utf8))
            let parsed: [String: LexiconEntry]
            do {
                parsed = try parser.parseDocument()
            } catch {
                throw TextError.userLexiconMalformed(path: path, line: 0, reason: "\(error.reason) at byte \(error.offset)")
            }
            for (word, entry) in parsed {
                guard case .phonemes(let p) = entry else {
                    throw TextError.userLexiconMalformed(path: path, line: 0, reason: "the value of \"\(word)\" is not a string")
                }
                entries[word] = p
            }
        } else {
            for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingWhitespace()
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let split = line.firstIndex(where: { $0 == "\t" || $0 == " " }) else {
                    throw TextError.userLexiconMalformed(path: path, line: n + 1, reason: "no phonemes after \"\(line)\"")
                }
                let word = String(line[..<split])
                let phonemes = String(line[split...].trimmingWhitespace())
                guard !phonemes.isEmpty else {
                    throw TextError.userLexiconMalformed(path: path, line: n + 1, reason: "no phonemes after \"\(word)\"")
                }
                entries[word] = phonemes
            }
        }
        self.entries = entries
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The user's phonemes for a word, as written or in lowercase.
    public func phonemes(for word: String) -> String? {
        entries[word] ?? entries[word.lowercased()]
    }

    /// Turns every word (a run of non-punctuation tokens without whitespace between them)
    /// found in the lexicon into a single token with a phoneme override.
    func applyOverrides(to tokens: [RawToken]) -> [RawToken] {
        guard !entries.isEmpty else { return tokens }
        var out: [RawToken] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            guard !tokens[i].isPunctuation, tokens[i].override == nil else {
                out.append(tokens[i])
                i += 1
                continue
            }
            var end = i + 1
            while end < tokens.count, !tokens[end - 1].whitespace, !tokens[end].isPunctuation, tokens[end].override == nil {
                end += 1
            }
            let text = tokens[i..<end].map(\.text).joined()
            if let phonemes = phonemes(for: text) {
                out.append(RawToken(range: tokens[i].range.lowerBound..<tokens[end - 1].range.upperBound, text: text,
                                    whitespace: tokens[end - 1].whitespace, override: .phonemes(phonemes)))
            } else {
                out += tokens[i..<end]
            }
            i = end
        }
        return out
    }
}
