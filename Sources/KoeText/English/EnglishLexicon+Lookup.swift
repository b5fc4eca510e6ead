import Foundation

/// A resolved pronunciation and how trustworthy it is (5 override, 4 gold, 3 silver or
/// derived, 2 espeak-ng).
typealias Pronunciation = (phonemes: String, rating: Int)

extension EnglishLexicon {
    static let symbolWords: [String: String] = ["%": "percent", "&": "and", "+": "plus", "@": "at"]
    static let addressSymbolWords: [String: String] = [".": "dot", "/": "slash"]
    static let capitalStress: (capitalized: Double, allCaps: Double) = (0.5, 2)

    /// misaki's `Lexicon.__call__`: the pronunciation of one token (or merged word group).
    func pronounce(_ token: MToken, context: TokenContext) -> Pronunciation? {
        var word = (token.alias ?? token.text).straightApostrophes
        if !word.utf8.allSatisfy({ $0 < 0x80 }) {
            word = Self.asciiDigits(word.precomposedStringWithCompatibilityMapping)
        }
        let stress: Double? = word.isLowercase ? nil : (word.isUppercase ? Self.capitalStress.allCaps : Self.capitalStress.capitalized)
        if let found = self.word(word, tag: token.tag, stress: stress, context: context) {
            let withCurrency = appendCurrency(found.phonemes, token.currency)
            return (Stress.apply(withCurrency, token.stress), found.rating)
        }
        if Self.isNumber(word, isHead: token.isHead) {
            guard let number = self.number(word, currency: token.currency, isHead: token.isHead, flags: token.numberFlags)
            else { return nil }
            return (Stress.apply(number.phonemes, token.stress), number.rating)
        }
        return nil
    }

    /// Digits from other scripts and superscripts become ASCII digits (`²` → `2`).
    static func asciiDigits(_ word: String) -> String {
        guard word.unicodeScalars.contains(where: { $0.isUnicodeDigit && !$0.isASCIIDigit }) else { return word }
        var out = String.UnicodeScalarView()
        for s in word.unicodeScalars {
            if s.isUnicodeDigit, !s.isASCIIDigit, let value = s.properties.numericValue,
               value == value.rounded(), value >= 0, value < 1e15 {
                out.append(contentsOf: String(Int(value)).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }

    /// Whether `text` cannot possibly be pronounced by ``pronounce(_:context:)``: longer than
    /// any lexicon key plus a suffix, and neither letters-and-dots (initials, acronyms) nor
    /// number-like. Lets the word-group search skip hopeless long spans without changing results.
    func cannotPronounce(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard scalars.count > maxKeyLength + 4 else { return false }
        if scalars.allSatisfy({ $0.isLetter || $0 == "." || $0 == "'" }) { return false }
        if scalars.contains(where: \.isASCIIDigit),
           scalars.allSatisfy({ $0.isASCIIDigit || $0 == "," || $0 == "." || $0 == "-" || $0 == "'" || ("a"..."z").contains($0) }) {
            return false
        }
        return true
    }

    /// misaki's `get_word`: special cases, then the lexicons, then suffix rules.
    func word(_ word: String, tag: String, stress: Double?, context: TokenContext) -> Pronunciation? {
        if let special = specialCase(word, tag: tag, stress: stress, context: context) { return special }
        var word = word
        let lower = word.lowercased()
        if word.scalarCount > 1, String(scalars: word.unicodeScalars.filter { $0 != "'" }).isAlpha, word != lower,
           tag != "NNP" || word.scalarCount > 7,
           gold[word] == nil, silver[word] == nil,
           word == word.uppercased() || word.droppingFirstScalar == word.droppingFirstScalar.lowercased(),
           gold[lower] != nil || silver[lower] != nil
            || stemS(lower, tag: tag, stress: stress, context: context) != nil
            || stemEd(lower, tag: tag, stress: stress, context: context) != nil
            || stemIng(lower, tag: tag, stress: stress, context: context) != nil {
            word = lower
        }
        if isKnown(word) { return lookup(word, tag: tag, stress: stress, context: context) }
        if word.hasSuffix("s'"), isKnown(word.droppingLastScalars(2) + "'s") {
            return lookup(word.droppingLastScalars(2) + "'s", tag: tag, stress: stress, context: context)
        }
        if word.hasSuffix("'"), isKnown(word.droppingLastScalars(1)) {
            return lookup(word.droppingLastScalars(1), tag: tag, stress: stress, context: context)
        }
        if let s = stemS(word, tag: tag, stress: stress, context: context) { return s }
        if let ed = stemEd(word, tag: tag, stress: stress, context: context) { return ed }
        return stemIng(word, tag: tag, stress: stress ?? 0.5, context: context)
    }

    /// misaki's `is_known`: in a lexicon, a symbol, a single letter, or an acronym-like word.
    func isKnown(_ word: String) -> Bool {
        if gold[word] != nil || Self.symbolWords[word] != nil || silver[word] != nil { return true }
        guard word.isAlpha, word.unicodeScalars.allSatisfy(\.isASCIILetter) else { return false }
        if word.scalarCount == 1 { return true }
        if word == word.uppercased(), gold[word.lowercased()] != nil { return true }
        let tail = word.droppingFirstScalar
        return tail == tail.uppercased()
    }

    /// misaki's `lookup`: a lexicon entry, the tagged form for heteronyms, and letter-by-letter
    /// spelling for acronyms (all-caps proper nouns need a gold entry with primary stress).
    func lookup(_ word: String, tag: String?, stress: Double?, context: TokenContext?) -> Pronunciation? {
        var word = word
        var isProperNoun = false
        if word == word.uppercased(), gold[word] == nil {
            word = word.lowercased()
            isProperNoun = tag == "NNP"
        }
        var entry = gold[word]
        var rating = 4
        if entry == nil, !isProperNoun {
            entry = silver[word]
            rating = 3
        }
        var phonemes: String?
        switch entry {
        case .phonemes(let p): phonemes = p
        case .tagged(let table):
            var key: String?
            if let context, context.futureVowel == nil, table["None"] != nil {
                key = "None"
            } else if let tag, table[tag] != nil {
                key = tag
            } else {
                key = Self.parentTag(tag)
            }
            if let key, let tagged = table[key] {
                phonemes = tagged
            } else {
                phonemes = table["DEFAULT"] ?? nil
            }
        case nil: phonemes = nil
        }
        if phonemes == nil || (isProperNoun && !Stress.hasPrimary(phonemes!)) {
            if let spelled = spell(word) { return spelled }
        }
        guard let phonemes else { return nil }
        return (Stress.apply(phonemes, stress), rating)
    }

    /// misaki's `get_NNP`: the word spelled with letter names, primary stress on the last.
    func spell(_ word: String) -> Pronunciation? {
        var joined = ""
        for s in word.unicodeScalars where s.isLetter {
            guard let letter = goldPhonemes(String(s).uppercased()) else { return nil }
            joined += letter
        }
        let demoted = Stress.apply(joined, 0)
        guard let lastSecondary = demoted.unicodeScalars.lastIndex(of: Stress.secondary) else { return (demoted, 3) }
        var scalars = demoted.unicodeScalars
        scalars.replaceSubrange(lastSecondary...lastSecondary, with: [Stress.primary])
        return (String(scalars), 3)
    }

    /// Penn tag → the coarse keys misaki's heteronym tables use.
    static func parentTag(_ tag: String?) -> String? {
        guard let tag else { return nil }
        if tag.hasPrefix("VB") { return "VERB" }
        if tag.hasPrefix("NN") { return "NOUN" }
        if tag.hasPrefix("ADV") || tag.hasPrefix("RB") { return "ADV" }
        if tag.hasPrefix("ADJ") || tag.hasPrefix("JJ") { return "ADJ" }
        return tag
    }

    /// misaki's `get_special_case`: symbols, dotted initials, and function words whose
    /// form depends on their tag or on the next word (a/an/the/to/in/am/by/used).
    func specialCase(_ word: String, tag: String, stress: Double?, context: TokenContext) -> Pronunciation? {
        if tag == "ADD", let name = Self.addressSymbolWords[word] {
            return lookup(name, tag: nil, stress: -0.5, context: context)
        }
        if let name = Self.symbolWords[word] {
            // Inside an address "@" keeps its reading; elsewhere symbols may be switched off (silent).
            guard tag == "ADD" || context.normalization.symbols else { return ("", 4) }
            return lookup(name, tag: nil, stress: nil, context: context)
        }
        if isDottedInitials(word) { return spell(word) }
        if word == "a" || word == "A" {
            return (tag == "DT" ? "ɐ" : "ˈA", 4)
        }
        if word == "am" || word == "Am" || word == "AM" {
            if tag.hasPrefix("NN") { return spell(word) }
            if context.futureVowel == nil || word != "am" || (stress ?? 0) > 0 {
                return goldPhonemes("am").map { ($0, 4) }
            }
            return ("ɐm", 4)
        }
        if word == "an" || word == "An" || word == "AN" {
            if word == "AN" && tag.hasPrefix("NN") { return spell(word) }
            return ("ɐn", 4)
        }
        if word == "I" && tag == "PRP" {
            return ("ˌI", 4)
        }
        if (word == "by" || word == "By" || word == "BY") && Self.parentTag(tag) == "ADV" {
            return ("bˈI", 4)
        }
        if word == "to" || word == "To" || (word == "TO" && (tag == "TO" || tag == "IN")) {
            switch context.futureVowel {
            case nil: return goldPhonemes("to").map { ($0, 4) }
            case false?: return ("tə", 4)
            case true?: return ("tʊ", 4)
            }
        }
        if word == "in" || word == "In" || (word == "IN" && tag != "NNP") {
            let mark = context.futureVowel == nil || tag != "IN" ? "ˈ" : ""
            return (mark + "ɪn", 4)
        }
        if word == "the" || word == "The" || (word == "THE" && tag == "DT") {
            return (context.futureVowel == true ? "ði" : "ðə", 4)
        }
        if tag == "IN", ["vs", "vs."].contains(word.lowercased()) {
            return lookup("versus", tag: nil, stress: nil, context: context)
        }
        if word == "used" || word == "Used" || word == "USED" {
            let key = (tag == "VBD" || tag == "JJ") && context.futureTo ? "VBD" : "DEFAULT"
            return goldPhonemes("used", tag: key).map { ($0, 4) }
        }
        return nil
    }

    /// `U.S.`, `e.g.`, `p.m.`: letters separated by dots, no piece longer than two letters.
    private func isDottedInitials(_ word: String) -> Bool {
        guard word.unicodeScalars.contains(".") else { return false }
        let inner = word.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        guard inner.contains(".") else { return false }
        guard String(scalars: word.unicodeScalars.filter { $0 != "." }).isAlpha else { return false }
        let longest = word.split(separator: ".", omittingEmptySubsequences: false).map(\.unicodeScalars.count).max() ?? 0
        return longest < 3
    }

    /// Adds the currency's plural unit after a word that names an amount (`million` → million dollars).
    func appendCurrency(_ phonemes: String, _ currency: Unicode.Scalar?) -> String {
        guard let currency, let unit = Self.currencies[currency] else { return phonemes }
        guard let plural = stemS(unit.major + "s", tag: nil, stress: nil, context: nil) else { return phonemes }
        return phonemes + " " + plural.phonemes
    }
}
