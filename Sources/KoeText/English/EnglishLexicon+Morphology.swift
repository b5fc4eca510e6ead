/// The -s, -ed and -ing rules, used only when the whole word is in neither lexicon.
extension EnglishLexicon {
    /// Flapping: a US `t` after one of these becomes `ɾ` before -ed/-ing (`wˈATᵻd`).
    static let flapBefore: Set<Unicode.Scalar> = Set("AIOWYiuæɑəɛɪɹʊʌ".unicodeScalars)

    /// Appends the plural / third-person ending to a stem's phonemes.
    func suffixS(_ stem: String?) -> String? {
        guard let stem, let last = stem.unicodeScalars.last else { return nil }
        if "ptkfθ".unicodeScalars.contains(last) { return stem + "s" }
        if "szʃʒʧʤ".unicodeScalars.contains(last) { return stem + (british ? "ɪ" : "ᵻ") + "z" }
        return stem + "z"
    }

    func stemS(_ word: String, tag: String?, stress: Double?, context: TokenContext?) -> Pronunciation? {
        guard word.scalarCount >= 3, word.hasSuffix("s") else { return nil }
        let stem: String
        if !word.hasSuffix("ss"), isKnown(word.droppingLastScalars(1)) {
            stem = word.droppingLastScalars(1)
        } else if word.hasSuffix("'s") || (word.scalarCount > 4 && word.hasSuffix("es") && !word.hasSuffix("ies")),
                  isKnown(word.droppingLastScalars(2)) {
            stem = word.droppingLastScalars(2)
        } else if word.scalarCount > 4, word.hasSuffix("ies"), isKnown(word.droppingLastScalars(3) + "y") {
            stem = word.droppingLastScalars(3) + "y"
        } else {
            return nil
        }
        guard let found = lookup(stem, tag: tag, stress: stress, context: context),
              let phonemes = suffixS(found.phonemes) else { return nil }
        return (phonemes, found.rating)
    }

    /// Appends the past ending: `t` after voiceless sounds, `ᵻd` after d (and t), `d` otherwise.
    func suffixEd(_ stem: String?) -> String? {
        guard let stem, let last = stem.unicodeScalars.last else { return nil }
        if "pkfθʃsʧ".unicodeScalars.contains(last) { return stem + "t" }
        if last == "d" { return stem + (british ? "ɪ" : "ᵻ") + "d" }
        if last != "t" { return stem + "d" }
        let scalars = Array(stem.unicodeScalars)
        if british || scalars.count < 2 { return stem + "ɪd" }
        if Self.flapBefore.contains(scalars[scalars.count - 2]) {
            return String(scalars: scalars.dropLast()) + "ɾᵻd"
        }
        return stem + "ᵻd"
    }

    func stemEd(_ word: String, tag: String?, stress: Double?, context: TokenContext?) -> Pronunciation? {
        guard word.scalarCount >= 4, word.hasSuffix("d") else { return nil }
        let stem: String
        if !word.hasSuffix("dd"), isKnown(word.droppingLastScalars(1)) {
            stem = word.droppingLastScalars(1)
        } else if word.scalarCount > 4, word.hasSuffix("ed"), !word.hasSuffix("eed"), isKnown(word.droppingLastScalars(2)) {
            stem = word.droppingLastScalars(2)
        } else {
            return nil
        }
        guard let found = lookup(stem, tag: tag, stress: stress, context: context),
              let phonemes = suffixEd(found.phonemes) else { return nil }
        return (phonemes, found.rating)
    }

    /// Appends `ɪŋ`; US flaps a final vowel + t (`ɹˈITɪŋ`); British refuses stems ending in ə or ː.
    func suffixIng(_ stem: String?) -> String? {
        guard let stem, let last = stem.unicodeScalars.last else { return nil }
        let scalars = Array(stem.unicodeScalars)
        if british {
            if last == "ə" || last == "ː" { return nil }
        } else if scalars.count > 1, last == "t", Self.flapBefore.contains(scalars[scalars.count - 2]) {
            return String(scalars: scalars.dropLast()) + "ɾɪŋ"
        }
        return stem + "ɪŋ"
    }

    func stemIng(_ word: String, tag: String?, stress: Double?, context: TokenContext?) -> Pronunciation? {
        guard word.scalarCount >= 5, word.hasSuffix("ing") else { return nil }
        let base = word.droppingLastScalars(3)
        let stem: String
        if word.scalarCount > 5, isKnown(base) {
            stem = base
        } else if isKnown(base + "e") {
            stem = base + "e"
        } else if word.scalarCount > 5, Self.hasDoubledConsonantIng(word), isKnown(word.droppingLastScalars(4)) {
            stem = word.droppingLastScalars(4)
        } else {
            return nil
        }
        guard let found = lookup(stem, tag: tag, stress: stress, context: context),
              let phonemes = suffixIng(found.phonemes) else { return nil }
        return (phonemes, found.rating)
    }

    /// `hopping`, `running`, `packing`: a doubled consonant (or ck) before -ing.
    private static func hasDoubledConsonantIng(_ word: String) -> Bool {
        let s = Array(word.unicodeScalars)
        guard s.count >= 5 else { return false }
        if word.hasSuffix("cking") { return true }
        let a = s[s.count - 5], b = s[s.count - 4]
        return a == b && "bcdgklmnprstvxz".unicodeScalars.contains(a)
    }
}
