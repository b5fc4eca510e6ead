import Logging

/// misaki's English G2P in Swift: tokenize, tag, look words up right to left (so each word
/// knows what follows it), fall back to espeak-ng for unknown words, and keep every
/// token's place in the input so phonemes can be mapped back to the user's words.
final class EnglishG2P: Phonemizing {
    let lexicon: EnglishLexicon
    let fallback: EspeakFallback?
    let userLexicon: UserLexicon
    let logger: Logger

    /// The widest word group searched for sub-spans; longer runs without spaces are split
    /// so the search stays linear (misaki's search is cubic in the group length).
    static let maxGroupPieces = 24

    init(lexicon: EnglishLexicon, fallback: EspeakFallback?, userLexicon: UserLexicon = UserLexicon(), logger: Logger) {
        self.lexicon = lexicon
        self.fallback = fallback
        self.userLexicon = userLexicon
        self.logger = logger
    }

    func phonemize(_ text: String) throws -> Phonemization {
        try phonemize(text, normalization: .default)
    }

    func phonemize(_ text: String, normalization: TextNormalization) throws -> Phonemization {
        let prepared = PreparedText(text)
        try TextError.requireContent(prepared.scalars)
        var raw = EnglishTokenizer.tokenize(prepared.scalars, overrides: prepared.overrides)
        raw = userLexicon.applyOverrides(to: raw)
        let tagger = PartOfSpeechTagger(heteronymKeys: { [lexicon] word in
            if case .tagged(let table)? = lexicon.gold[word] { return Set(table.keys) }
            return nil
        })
        let tags = tagger.tag(raw).enumerated().map { k, tag in
            // An address whose reading is off is tagged as a plain noun: its pieces are read as words.
            guard tag == "ADD" else { return tag }
            let email = raw[k].text.contains("@")
            return (email ? normalization.emails : normalization.urls) ? tag : "NN"
        }
        var tokens: [MToken] = []
        tokens.reserveCapacity(raw.count)
        for (token, tag) in zip(raw, tags) {
            var m = MToken(text: token.text, tag: tag, whitespace: token.whitespace, range: token.range)
            switch token.override {
            case .phonemes(let p)?:
                m.phonemes = p
                m.rating = 5
            case .stress(let s)?:
                m.stress = s
            case .numberFlags(let f)?:
                m.numberFlags = f
            case nil:
                break
            }
            tokens.append(m)
        }
        let result = Self.assemble(resolve(tokens, normalization: normalization), prepared: prepared, source: Array(text.unicodeScalars))
        guard !result.phonemes.isEmpty else { throw TextError.emptyText }
        return result
    }

    /// Runs retokenization and the right-to-left resolution; returns the final tokens.
    func resolve(_ tokens: [MToken], normalization: TextNormalization = .default) -> [FinalToken] {
        var items = Self.retokenize(tokens)
        var context = TokenContext(normalization: normalization)
        for index in items.indices.reversed() {
            switch items[index] {
            case .token(var token):
                if token.phonemes == nil, let found = lexicon.pronounce(token, context: context) {
                    token.phonemes = found.phonemes
                    token.rating = found.rating
                }
                if token.phonemes == nil, let fallback {
                    token.phonemes = fallback.phonemes(for: token.text)
                    token.rating = 2
                    logger.trace("espeak-ng fallback", metadata: ["word": "\(token.text)", "phonemes": "\(token.phonemes ?? "")"])
                }
                context = context.advanced(past: token, phonemes: token.phonemes)
                items[index] = .token(token)
            case .group(var group):
                context = resolveGroup(&group, context: context)
                items[index] = .group(group)
            }
        }
        return items.map { item in
            switch item {
            case .token(let t): return FinalToken(token: t)
            case .group(let g): return FinalToken(token: MToken.merge(g[...], unknown: ""), isPunctuation: false)
            }
        }
    }

    /// misaki's word-group search: the longest span from the right that the lexicon knows,
    /// then the rest to its left; if some piece is unknown, the whole group goes to espeak-ng.
    private func resolveGroup(_ group: inout [MToken], context start: TokenContext) -> TokenContext {
        var context = start
        var left = 0, right = group.count
        var needsFallback = false
        while left < right {
            let span = group[left..<right]
            var found: Pronunciation?
            var merged: MToken?
            if !span.contains(where: { $0.alias != nil || $0.phonemes != nil }) {
                let candidate = MToken.merge(span, unknown: nil)
                if span.count == 1 || !lexicon.cannotPronounce(candidate.text) {
                    found = lexicon.pronounce(candidate, context: context)
                }
                merged = candidate
            }
            if let found, let merged {
                group[left].phonemes = found.phonemes
                group[left].rating = found.rating
                for k in (left + 1)..<right {
                    group[k].phonemes = ""
                    group[k].rating = found.rating
                }
                context = context.advanced(past: merged, phonemes: found.phonemes)
                right = left
                left = 0
            } else if left + 1 < right {
                left += 1
            } else {
                right -= 1
                if group[right].phonemes == nil {
                    if group[right].text.unicodeScalars.allSatisfy(Self.junk.contains) {
                        group[right].phonemes = ""
                        group[right].rating = 3
                    } else if fallback != nil {
                        needsFallback = true
                        break
                    }
                }
                left = 0
            }
        }
        if needsFallback, let fallback {
            let merged = MToken.merge(group[...], unknown: nil)
            group[0].phonemes = fallback.phonemes(for: merged.text)
            logger.trace("espeak-ng fallback", metadata: ["word": "\(merged.text)", "phonemes": "\(group[0].phonemes ?? "")"])
            group[0].rating = 2
            for k in 1..<group.count {
                group[k].phonemes = ""
                group[k].rating = 2
            }
            // misaki leaves the context as the last resolved span left it.
        } else {
            Self.resolvePieces(&group)
        }
        return context
    }
}

/// A token of the output, with whether it is a punctuation mark (pause) or a word.
struct FinalToken {
    var token: MToken
    var isPunctuation: Bool

    init(token: MToken, isPunctuation: Bool? = nil) {
        self.token = token
        self.isPunctuation = isPunctuation ?? token.isPunctuation
    }
}

extension EnglishG2P {
    /// Final phonemes of Kokoro v1.0: the flap `ɾ` is written `T` and the glottal stop `ʔ` `t`.
    static func kokoroV1(_ phonemes: String) -> String {
        guard phonemes.unicodeScalars.contains(where: { $0 == "ɾ" || $0 == "ʔ" }) else { return phonemes }
        return String(scalars: phonemes.unicodeScalars.map { $0 == "ɾ" ? "T" : ($0 == "ʔ" ? "t" : $0) })
    }

    static func assemble(_ tokens: [FinalToken], prepared: PreparedText, source: [Unicode.Scalar]) -> Phonemization {
        let units = tokens.map { t in
            OutputUnit(range: t.token.range, phonemes: kokoroV1(t.token.phonemes ?? ""),
                       whitespace: t.token.whitespace, isPunctuation: t.isPunctuation)
        }
        return PhonemeAssembler.assemble(units, prepared: prepared, source: source)
    }
}
