/// The front end for Kokoro's other languages (Spanish, French, Hindi, Italian, Brazilian
/// Portuguese): espeak-ng with misaki's `EspeakG2P` symbol mapping.
///
/// Each clause (the words between two punctuation marks) is phonemized in one call so
/// espeak-ng sees the words in context (French liaison, stress). When espeak's output has
/// as many words as the clause, they are paired one to one; otherwise (a number read as
/// several words, say) the clause's words are phonemized one at a time so every word still
/// owns its phonemes.
final class EspeakPhonemizer: Phonemizing {
    let language: KoeLanguage
    let engine: EspeakEngine
    let userLexicon: UserLexicon

    /// misaki's mapping for non-English espeak output: ties become Kokoro's single symbols.
    static let mapping: [(String, String)] = [
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^z", "ʣ"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("o^ʊ", "O"), ("ə^ʊ", "Q"),
        ("s^s", "S"), ("t^s", "ʦ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"),
    ]
    /// Marks that end a clause; their phonemes are the marks Kokoro knows.
    static let clauseMarks: [Unicode.Scalar: String] = [
        ".": ".", ",": ",", ";": ";", ":": ":", "!": "!", "?": "?", "—": "—", "–": "—", "…": "…",
        "\"": "\"", "“": "“", "”": "”", "«": "“", "»": "”", "(": "(", ")": ")", "[": "(", "]": ")",
        "¡": "", "¿": "", "।": ".", "॥": ".",
    ]

    init(language: KoeLanguage, engine: EspeakEngine = .shared, userLexicon: UserLexicon = UserLexicon()) throws {
        guard engine.hasVoice(for: language.espeakLanguage) else {
            throw TextError.espeakUnavailable(reason: "no espeak-ng voice for \(language.espeakLanguage)")
        }
        self.language = language
        self.engine = engine
        self.userLexicon = userLexicon
    }

    func phonemize(_ text: String) throws -> Phonemization {
        let prepared = PreparedText(text)
        try TextError.requireContent(prepared.scalars)
        let tokens = userLexicon.applyOverrides(to: Self.tokenize(prepared))
        var units: [OutputUnit] = []
        var clause: [RawToken] = []
        func flush() throws {
            units += try phonemizeClause(clause)
            clause.removeAll()
        }
        for token in tokens {
            if token.isPunctuation {
                try flush()
                units.append(OutputUnit(range: token.range, phonemes: token.punctuationTag ?? "",
                                        whitespace: token.whitespace, isPunctuation: true))
            } else {
                clause.append(token)
            }
        }
        try flush()
        let result = PhonemeAssembler.assemble(units, prepared: prepared, source: Array(text.unicodeScalars))
        guard !result.phonemes.isEmpty else { throw TextError.emptyText }
        return result
    }

    private func phonemizeClause(_ words: [RawToken]) throws -> [OutputUnit] {
        guard !words.isEmpty else { return [] }
        var phonemes: [String?] = words.map { word in
            if case .phonemes(let p)? = word.override { return p }
            return nil
        }
        let pending = words.indices.filter { phonemes[$0] == nil }
        if !pending.isEmpty {
            let joined = pending.map { words[$0].text }.joined(separator: " ")
            let spoken = map(try engine.phonemes(joined, language: language.espeakLanguage))
                .split(separator: " ").map(String.init)
            if spoken.count == pending.count {
                for (k, i) in pending.enumerated() { phonemes[i] = spoken[k] }
            } else {
                for i in pending {
                    phonemes[i] = map(try engine.phonemes(words[i].text, language: language.espeakLanguage))
                }
            }
        }
        return words.indices.map { i in
            OutputUnit(range: words[i].range, phonemes: phonemes[i] ?? "", whitespace: words[i].whitespace, isPunctuation: false)
        }
    }

    func map(_ ipa: String) -> String {
        var ps = EspeakEngine.cleanLine(ipa)
        for (old, new) in Self.mapping { ps = ps.replacingOccurrences(of: old, with: new) }
        return ps.replacingOccurrences(of: "^", with: "").replacingOccurrences(of: "-", with: "")
    }

    /// Whitespace-separated words with leading and trailing clause marks split off; the
    /// punctuation token's `punctuationTag` holds its phonemes.
    static func tokenize(_ text: PreparedText) -> [RawToken] {
        let s = text.scalars
        var tokens: [RawToken] = []
        var spans = text.overrides[...]
        var i = 0
        func mark(_ k: Int) -> RawToken {
            RawToken(range: k..<k + 1, text: String(s[k]), whitespace: false, punctuationTag: clauseMarks[s[k]] ?? "")
        }
        while i < s.count {
            if s[i].isWhitespaceLike { i += 1; continue }
            if let span = spans.first, span.range.lowerBound <= i {
                spans = spans.dropFirst()
                let end = span.range.upperBound
                tokens.append(RawToken(range: span.range, text: String(scalars: s[span.range]),
                                       whitespace: end < s.count && s[end].isWhitespaceLike, override: span.override))
                i = end
                continue
            }
            var end = i
            let limit = spans.first?.range.lowerBound ?? s.count
            while end < limit, !s[end].isWhitespaceLike { end += 1 }
            var lo = i, hi = end
            var trailing: [RawToken] = []
            while lo < hi, clauseMarks[s[lo]] != nil { tokens.append(mark(lo)); lo += 1 }
            while hi > lo, clauseMarks[s[hi - 1]] != nil { trailing.append(mark(hi - 1)); hi -= 1 }
            var start = lo
            while start < hi {
                let pieceEnd = min(start + EnglishTokenizer.maxPieceLength, hi)
                tokens.append(RawToken(range: start..<pieceEnd, text: String(scalars: s[start..<pieceEnd]),
                                       whitespace: pieceEnd < hi))
                start = pieceEnd
            }
            tokens += trailing.reversed()
            if !tokens.isEmpty { tokens[tokens.count - 1].whitespace = end < s.count && s[end].isWhitespaceLike }
            i = end
        }
        return tokens
    }
}
