/// A token of the English pipeline (misaki's `MToken`): a piece of text with its
/// part-of-speech tag, whether whitespace follows it, and the phonemes once resolved.
struct MToken {
    var text: String
    /// Penn Treebank tag (`NN`, `VBD`, `.`, `-LRB-`, ...).
    var tag: String
    var whitespace: Bool
    var phonemes: String?
    var rating: Int?
    /// Where the token comes from, in scalar offsets of the working text.
    var range: Range<Int>

    /// First piece of a run of pieces without whitespace between them.
    var isHead = true
    /// A word to look up instead of `text` (a `2` between letters reads "to").
    var alias: String?
    /// Stress nudge from an inline `[word](+1)` override.
    var stress: Double?
    /// The currency sign (`$ £ €`) the number is an amount of.
    var currency: Unicode.Scalar?
    /// Number reading flags from an inline `[word](#flags#)` override.
    var numberFlags = ""
    /// Whether a space separates this piece's phonemes from the previous piece's.
    var prespace = false
    /// A punctuation mark or currency sign (its phonemes are a pause or nothing).
    var isPunctuation = false

    /// misaki's `merge_tokens`: joins adjacent pieces into one token. The tag is the tag of
    /// the "heaviest" piece (capital letters weigh two), stress and currency carry over.
    static func merge(_ tokens: ArraySlice<MToken>, unknown: String?) -> MToken {
        let first = tokens.first!, last = tokens.last!
        var text = ""
        for t in tokens.dropLast() { text += t.text + (t.whitespace ? " " : "") }
        text += last.text
        let heaviest = tokens.max { a, b in weight(a.text) < weight(b.text) }!
        var phonemes: String?
        if let unknown {
            var joined = ""
            for t in tokens {
                if t.prespace, let lastScalar = joined.unicodeScalars.last, !lastScalar.properties.isWhitespace,
                   !(t.phonemes ?? "").isEmpty {
                    joined += " "
                }
                joined += t.phonemes ?? unknown
            }
            phonemes = joined
        }
        let stresses = Set(tokens.compactMap(\.stress))
        let ratings = tokens.map(\.rating)
        var merged = MToken(
            text: text, tag: heaviest.tag, whitespace: last.whitespace, phonemes: phonemes,
            rating: ratings.contains(where: { $0 == nil }) ? nil : ratings.compactMap { $0 }.min(),
            range: first.range.lowerBound..<last.range.upperBound)
        merged.isHead = first.isHead
        merged.stress = stresses.count == 1 ? stresses.first : nil
        merged.currency = tokens.compactMap(\.currency).max()
        if tokens.contains(where: { !$0.numberFlags.isEmpty }) {
            merged.numberFlags = String(Set(tokens.flatMap(\.numberFlags)).sorted())
        }
        merged.prespace = first.prespace
        return merged
    }

    /// Lowercase characters weigh one, others two. Ties keep the earlier piece, as in
    /// Python (`Sequence.max(by:)` only replaces on a strictly greater element).
    private static func weight(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.reduce(0) { $0 + ($1 >= 0x41 && $1 <= 0x5A ? 2 : 1) }
        }
        return text.reduce(0) { $0 + (String($1) == $1.lowercased() ? 1 : 2) }
    }
}

/// What the already-resolved words to the right tell the current word (misaki resolves
/// a sentence right to left): does the next spoken word start with a vowel (nil when a
/// pause or the end follows), and is it "to".
struct TokenContext {
    var futureVowel: Bool?
    var futureTo = false
    /// The request's readings, the same for every token of the text.
    var normalization = TextNormalization.default

    static let nonQuotePunctuation: Set<Unicode.Scalar> = Set(";:,.!?—…".unicodeScalars)

    /// The context for the word to the left of `token`, whose phonemes are `phonemes`.
    func advanced(past token: MToken, phonemes: String?) -> TokenContext {
        var vowel = futureVowel
        if let phonemes, !phonemes.isEmpty {
            for s in phonemes.unicodeScalars {
                if Self.nonQuotePunctuation.contains(s) { vowel = nil; break }
                if Stress.vowels.contains(s) { vowel = true; break }
                if Stress.consonants.contains(s) { vowel = false; break }
            }
        }
        let isTo = token.text == "to" || token.text == "To" || (token.text == "TO" && (token.tag == "TO" || token.tag == "IN"))
        return TokenContext(futureVowel: vowel, futureTo: isTo, normalization: normalization)
    }
}
