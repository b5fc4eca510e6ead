/// A light part-of-speech heuristic standing in for spaCy's tagger. misaki reads tags in
/// few places: heteronyms (`record` noun/verb, `read` past/present, `minute` adjective),
/// `that` (determiner vs conjunction), `a` and `I`, all-caps proper nouns (spelled),
/// `used to`, `am` after a time, and numbers after a currency sign. The rules below give
/// those decisions from closed-class words, word endings and the neighbouring words.
struct PartOfSpeechTagger {
    /// The tagged forms a word has in the lexicon (`["DEFAULT", "VERB"]`), if it is a heteronym.
    var heteronymKeys: (String) -> Set<String>?

    private struct Word {
        var tokenIndices: Range<Int>
        var text: String
        var lower: String
        var tag = "NN"
        /// Index of the previous / next word in the same clause (no punctuation between).
        var previous: Int?
        var next: Int?
        var sentenceInitial = false
    }

    /// Tags every token: punctuation keeps its tag, pieces of one word share the word's tag.
    func tag(_ tokens: [RawToken]) -> [String] {
        var tags = tokens.map { $0.punctuationTag ?? "NN" }
        var words: [Word] = []
        var sentenceStart = true
        var lastWasWord = false
        var i = 0
        while i < tokens.count {
            let token = tokens[i]
            if let punct = token.punctuationTag {
                if punct == "." || (punct == ":" && token.text.hasPrefix(".")) { sentenceStart = true }
                // A capital after an opening quote may be a sentence start ("He said, "The ...").
                if punct == "``" { sentenceStart = true }
                lastWasWord = false
                i += 1
                continue
            }
            var end = i + 1
            while end < tokens.count, !tokens[end - 1].whitespace, tokens[end].punctuationTag == nil { end += 1 }
            let text = tokens[i..<end].map(\.text).joined().straightApostrophes
            var word = Word(tokenIndices: i..<end, text: text, lower: text.lowercased())
            word.sentenceInitial = sentenceStart
            if lastWasWord, !words.isEmpty {
                word.previous = words.count - 1
                words[words.count - 1].next = words.count
            }
            words.append(word)
            sentenceStart = false
            lastWasWord = true
            i = end
        }
        for k in words.indices { words[k].tag = lexicalTag(words[k]) }
        for k in words.indices { words[k].tag = contextualTag(k, words) }
        for word in words {
            for t in word.tokenIndices { tags[t] = word.tag }
            guard word.tokenIndices.count > 1, word.text.contains("-") else { continue }
            // Inside `once-in-a-lifetime`, `a` is still a determiner and `in` a preposition.
            for t in word.tokenIndices {
                let piece = tokens[t].text.lowercased()
                if piece == "-" {
                    tags[t] = "HYPH"
                } else if let closed = TaggerTables.closedClass[piece] {
                    tags[t] = closed
                } else if piece.unicodeScalars.allSatisfy(\.isASCIIDigit) {
                    tags[t] = "CD"
                }
            }
        }
        return tags
    }

    // MARK: - Word alone

    private func lexicalTag(_ word: Word) -> String {
        let text = word.text, lower = word.lower
        let scalars = text.unicodeScalars
        if scalars.contains(where: \.isASCIIDigit) {
            let body = lower.drop { $0 == "-" || $0 == "'" }
            if body.hasSuffix("st") || body.hasSuffix("nd") || body.hasSuffix("rd") || body.hasSuffix("th") { return "JJ" }
            return body.hasSuffix("s") ? "NNS" : "CD"
        }
        if Self.isAddress(lower) { return "ADD" }
        if text == "I" { return "PRP" }
        if text == "A" && !word.sentenceInitial { return "DT" }
        let letters = scalars.filter(\.isLetter)
        if letters.count >= 2, letters.allSatisfy(\.isUppercaseLetter) {
            if let closed = TaggerTables.closedClass[lower], lower.count <= 3, word.sentenceInitial { return closed }
            return "NNP"
        }
        let contraction = Self.contractionBase(lower)
        if let closed = TaggerTables.closedClass[lower] ?? TaggerTables.closedClass[contraction] {
            if let first = letters.first, first.isUppercaseLetter, !word.sentenceInitial,
               !["DT", "PRP", "PRP$", "IN", "CC", "TO", "MD", "WDT", "WP", "WRB", "EX"].contains(closed) {
                return "NNP"
            }
            return closed
        }
        if let first = letters.first, first.isUppercaseLetter, !word.sentenceInitial { return "NNP" }
        return TaggerTables.guess(lower)
    }

    /// `name@example.com`, `example.org`, `blog.example.co.uk`: read with "dot" and "at".
    static func isAddress(_ lower: String) -> Bool {
        if lower.contains("://") { return true }
        let parts = lower.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2, let last = parts.last, TaggerTables.domains.contains(String(last)) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.unicodeScalars.allSatisfy { $0.isASCIILetter || $0.isASCIIDigit || $0 == "-" || $0 == "@" || $0 == "_" }
        } && (lower.contains("@") || parts.count >= 2 && parts.dropLast().contains { $0.count > 2 })
    }

    /// The first part of a contraction (`don't` → `do`, `she'll` → `she`).
    static func contractionBase(_ lower: String) -> String {
        if lower.hasSuffix("n't") { return String(lower.dropLast(3)) }
        for suffix in ["'ll", "'re", "'ve", "'s", "'d", "'m"] where lower.hasSuffix(suffix) {
            return String(lower.dropLast(suffix.count))
        }
        return lower
    }

    // MARK: - Word in context

    private func contextualTag(_ k: Int, _ words: [Word]) -> String {
        let word = words[k]
        let previous = word.previous.map { words[$0] }
        let next = word.next.map { words[$0] }
        switch word.lower {
        case "that", "that's": return thatTag(word, previous: previous, next: next)
        case "her": return next.map { Self.isNominal($0.tag) || $0.tag == "JJ" ? "PRP$" : "PRP" } ?? "PRP"
        case "am", "pm", "a.m.", "p.m.":
            if let previous, previous.tag == "CD" || previous.tag == "JJ" && previous.text.unicodeScalars.contains(where: \.isASCIIDigit) {
                return "NN"
            }
        case "used":
            if next?.lower == "to" {
                if let previous, TaggerTables.beForms.contains(previous.lower) { return "VBN" }
                return "VBD"
            }
        case "a":
            return "DT"
        case "in":
            // "rolled in from the sea", "log in to": a particle, stressed.
            if let next, next.tag == "IN" || next.tag == "TO", let previous, previous.tag.hasPrefix("VB") { return "RB" }
        default:
            break
        }
        if word.text == "A", let previous, previous.tag.hasPrefix("NN"), next == nil { return "NN" }
        let isClosedClass = TaggerTables.closedClass[word.lower] != nil
        if !isClosedClass, let keys = heteronymKeys(word.lower) ?? heteronymKeys(word.text),
           !word.tag.hasPrefix("NNP") || word.sentenceInitial {
            return heteronymTag(word, keys: keys, words: words)
        }
        if ["NN", "NNS", "VBD", "JJ", "RB", "VBG"].contains(word.tag) {
            return openClassTag(word, words: words)
        }
        return word.tag
    }

    private func thatTag(_ word: Word, previous: Word?, next: Word?) -> String {
        if word.lower == "that's" { return "DT" }
        guard let next else { return "DT" }
        if ["DT", "PRP", "PRP$", "EX", "NNP", "CD"].contains(next.tag) { return "IN" }
        // After a noun, "that" opens a clause ("a contract that raises wages") unless a
        // singular noun follows ("two blocks that way").
        if let previous, Self.isNominal(previous.tag) {
            return next.tag == "NN" && !next.lower.hasSuffix("s") ? "DT" : "WDT"
        }
        if Self.isNominal(next.tag) || next.tag.hasPrefix("JJ") { return "DT" }
        if previous == nil || next.tag.hasPrefix("VB") || next.tag == "MD" { return "DT" }
        return "IN"
    }

    /// Refines the suffix guess of an ordinary word with its left neighbour, so the
    /// heteronym rules see sensible neighbours.
    private func openClassTag(_ word: Word, words: [Word]) -> String {
        guard let p = word.previous.map({ words[$0] }) else { return word.tag }
        let tag = word.tag
        switch p.tag {
        case "TO", "MD":
            return tag == "VBG" || tag == "RB" ? tag : "VB"
        case "DT", "PRP$", "JJ", "CD", "POS":
            if tag == "VBD" || tag == "VBG" { return tag }
            return tag == "NNS" ? "NNS" : (tag == "JJ" ? "JJ" : "NN")
        case "PRP" where TaggerTables.subjectPronouns.contains(p.lower):
            if tag == "NNS" { return "VBZ" }
            if tag == "NN" { return "VBP" }
            return tag
        default:
            if TaggerTables.haveForms.contains(p.lower), tag == "VBD" { return "VBN" }
            if TaggerTables.beForms.contains(p.lower), tag == "VBD" { return "VBN" }
            return tag
        }
    }

    /// Chooses the heteronym form: verb after `to`, modals, subject pronouns and auxiliaries;
    /// noun after determiners; adjective in front of a noun or after `be`.
    private func heteronymTag(_ word: Word, keys: Set<String>, words: [Word]) -> String {
        var p = word.previous.map { words[$0] }
        while let q = p, q.tag == "RB", !TaggerTables.beForms.contains(q.lower) {
            p = q.previous.map { words[$0] }
        }
        let next = word.next.map { words[$0] }
        let nounOrAdjective: String = {
            if let next, Self.isNominal(next.tag) || next.tag == "JJ" {
                // "a minute detail" but "the minute hand": the adjective reading of a word that
                // is also a noun needs an indefinite article or a degree adverb in front.
                let adjectiveContext = p.map { ["a", "an", "very", "so", "too", "such", "quite", "rather"].contains($0.lower) } ?? false
                if keys.contains("ADJ") && adjectiveContext && !TaggerTables.nominalModifiers.contains(word.lower) {
                    return "JJ"
                }
                if TaggerTables.guess(word.lower) == "JJ" || TaggerTables.adjectives.contains(word.lower) { return "JJ" }
            }
            return word.lower.hasSuffix("s") && !word.lower.hasSuffix("ss") ? "NNS" : "NN"
        }()
        let nextIsFunctionWord = next.map { ["IN", "TO", "CC", "RB", "DT"].contains($0.tag) || $0.tag.hasPrefix("VB") } ?? true
        if keys.contains("ADV"), nextIsFunctionWord { return "RB" }
        guard let p else {
            if let next, ["DT", "PRP$", "PRP", "CD", "RP"].contains(next.tag) { return "VB" }
            return nounOrAdjective
        }
        let verbS = word.lower.hasSuffix("s") ? "VBZ" : "VBP"
        if p.tag == "TO" || p.tag == "MD" || TaggerTables.doForms.contains(p.lower) { return "VB" }
        let determinerFollows = next.map { ["DT", "PRP$"].contains($0.tag) } ?? false
        if TaggerTables.haveForms.contains(p.lower) { return "VBN" }
        if TaggerTables.beForms.contains(p.lower) {
            if keys.contains("ADJ") { return "JJ" }
            if keys.contains("VBN") || word.lower.hasSuffix("ed") || word.lower.hasSuffix("en") { return "VBN" }
            return "JJ"
        }
        if p.tag == "PRP" {
            if TaggerTables.objectPronouns.contains(p.lower) { return "VB" }
            // "did you read", "will they record": the auxiliary before the subject governs.
            if let auxiliary = p.previous.map({ words[$0] }) {
                if auxiliary.tag == "MD" || TaggerTables.doForms.contains(auxiliary.lower) { return "VB" }
                if TaggerTables.haveForms.contains(auxiliary.lower) { return "VBN" }
            }
            return verbS
        }
        if ["DT", "PRP$", "POS", "CD", "JJ", "JJR", "JJS", "IN", "VBG"].contains(p.tag) || p.lower.hasSuffix("'s") {
            return nounOrAdjective
        }
        if Self.isNominal(p.tag), let next, ["DT", "PRP$", "PRP", "CD", "RP", "TO"].contains(next.tag)
            || next.tag == "IN" && word.lower.hasSuffix("s") {
            return word.lower.hasSuffix("s") ? "VBZ" : "VBD"
        }
        // "people live in": a plural subject, then a verb; "Aisha lives in": a name, then a verb.
        if p.tag == "NNS", !word.lower.hasSuffix("s"), nextIsFunctionWord, next != nil { return "VBP" }
        if p.tag.hasPrefix("NNP"), let next, ["IN", "DT", "PRP$", "RB", "TO"].contains(next.tag) { return verbS }
        if p.tag == "CC" {
            if determinerFollows { return "VB" }
            if let before = p.previous.map({ words[$0] }), before.tag.hasPrefix("VB") { return "VB" }
        }
        // "huddled closer to": after a verb and before a function word, an adverb.
        if p.tag.hasPrefix("VB"), next != nil, nextIsFunctionWord, !determinerFollows { return "RB" }
        if determinerFollows { return "VB" }
        return nounOrAdjective
    }

    static func isNominal(_ tag: String) -> Bool { tag.hasPrefix("NN") }
}
