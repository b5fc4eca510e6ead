/// A token from the tokenizer, before tagging: a word piece or a punctuation mark.
struct RawToken: Equatable {
    var range: Range<Int>
    var text: String
    var whitespace: Bool
    /// The Penn tag of a punctuation token (`.`, `,`, `:`, `` ` ` ``, `''`, `-LRB-`, `$`, `NFP`);
    /// nil for word pieces.
    var punctuationTag: String?
    var override: InlineOverride?

    var isPunctuation: Bool { punctuationTag != nil }
}

/// Splits English text into tokens the way misaki sees them after spaCy: whitespace
/// separates chunks; leading and trailing punctuation, quotes and currency signs become
/// tokens of their own; abbreviations keep their period; contractions split (`ca|n't`);
/// dashes, ellipses and commas inside a chunk separate words. Linear in the text length.
struct EnglishTokenizer {
    /// Chunks longer than this are cut into pieces (only absurd input has such words);
    /// it bounds the work of espeak-ng and of the word-group search.
    static let maxPieceLength = 100

    private let text: [Unicode.Scalar]
    private var tokens: [RawToken] = []
    private var chunkEnd = 0
    private var doubleQuoteOpen = false
    private var singleQuoteOpen = false

    init(text: [Unicode.Scalar]) {
        self.text = text
    }

    /// Tokenizes the whole text; `overrides` are non-overlapping ranges of the text.
    static func tokenize(_ text: [Unicode.Scalar], overrides: [OverrideSpan] = []) -> [RawToken] {
        var tokenizer = EnglishTokenizer(text: text)
        tokenizer.run(overrides: overrides)
        return tokenizer.tokens
    }

    private mutating func run(overrides: [OverrideSpan]) {
        var i = 0
        var spans = overrides[...]
        while i < text.count {
            if text[i].isWhitespaceLike { i += 1; continue }
            if let span = spans.first, span.range.lowerBound <= i {
                spans = spans.dropFirst()
                if case .phonemes = span.override {
                    let end = span.range.upperBound
                    tokens.append(RawToken(range: span.range, text: string(span.range), whitespace: followedBySpace(end),
                                           punctuationTag: nil, override: span.override))
                } else {
                    let first = tokens.count
                    tokenizeChunks(in: span.range)
                    for k in first..<tokens.count where !tokens[k].isPunctuation { tokens[k].override = span.override }
                }
                i = span.range.upperBound
                continue
            }
            var end = i
            let limit = spans.first?.range.lowerBound ?? text.count
            while end < limit, !text[end].isWhitespaceLike { end += 1 }
            splitChunk(i..<end)
            i = end
        }
    }

    private mutating func tokenizeChunks(in range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            if text[i].isWhitespaceLike { i += 1; continue }
            var end = i
            while end < range.upperBound, !text[end].isWhitespaceLike { end += 1 }
            splitChunk(i..<end)
            i = end
        }
    }

    private func string(_ range: Range<Int>) -> String { String(scalars: text[range]) }

    private func followedBySpace(_ end: Int) -> Bool { end < text.count && text[end].isWhitespaceLike }

    private func isAbbreviation(_ range: Range<Int>) -> Bool {
        range.count >= 2 && range.count <= 8 && TokenizerTables.abbreviations.contains(string(range))
    }

    // MARK: - Chunks

    private mutating func splitChunk(_ chunk: Range<Int>) {
        var lo = chunk.lowerBound, hi = chunk.upperBound
        chunkEnd = hi
        var prefixes: [RawToken] = []
        var suffixes: [RawToken] = []
        while lo < hi, !isAbbreviation(lo..<hi), let (length, tag) = prefix(at: lo, end: hi) {
            prefixes.append(punctuation(lo..<lo + length, tag))
            lo += length
        }
        while lo < hi, !isAbbreviation(lo..<hi), let (length, tag) = suffix(start: lo, end: hi) {
            suffixes.append(punctuation(hi - length..<hi, tag))
            hi -= length
        }
        let firstIndex = tokens.count
        tokens += prefixes
        // A tokenizer exception (`Ph.D.`) stays whole: no infix split at its inner periods.
        if lo < hi { if isAbbreviation(lo..<hi) { appendWord(lo..<hi) } else { splitCore(lo..<hi) } }
        tokens += suffixes.reversed()
        if tokens.count > firstIndex {
            tokens[tokens.count - 1].whitespace = followedBySpace(chunk.upperBound)
        }
    }

    private func punctuation(_ range: Range<Int>, _ tag: String) -> RawToken {
        RawToken(range: range, text: string(range), whitespace: false, punctuationTag: tag)
    }

    private static let dashes: Set<Unicode.Scalar> = ["—", "–", "―"]
    private static let silentSymbols: Set<Unicode.Scalar> = ["*", "_", "~", "·", "•", "<", ">", "|", "\\", "^", "`", "´"]

    /// A leading punctuation mark: its length and tag, or nil.
    private mutating func prefix(at i: Int, end: Int) -> (Int, String)? {
        let c = text[i]
        let next: Unicode.Scalar? = i + 1 < end ? text[i + 1] : nil
        switch c {
        case ".":
            var j = i
            while j < end, text[j] == "." { j += 1 }
            return j - i >= 2 ? (j - i, ":") : nil
        case "…": return (1, ":")
        case "\"", "“", "„", "«":
            if end - i == 1 { return (1, toggleDoubleQuote()) }
            doubleQuoteOpen = true
            return (1, "``")
        case "”", "»":
            if end - i == 1 { return (1, toggleDoubleQuote()) }
            return (1, "``")
        case "'", "‘", "’":
            if let next, next.isASCIIDigit { return nil }  // '90s
            if TokenizerTables.apostropheWords.contains(lowercasedWord(from: i, to: end)) { return nil }
            if end - i == 1 { return (1, toggleSingleQuote()) }
            singleQuoteOpen = true
            return (1, "``")
        case "(", "[", "{": return (1, "-LRB-")
        case ")", "]", "}": return (1, "-RRB-")
        case "$", "£", "€", "¥": return (1, "$")
        case "#": return end - i == 1 ? nil : (1, "$")  // "#1" is "one", a lone "#" is "hash"
        case "¿", "¡": return (1, ".")
        case "-":
            // A dash standing alone ("wait - what") reads as a pause; "-12" is a number.
            var j = i
            while j < end, text[j] == "-" { j += 1 }
            return j == end ? (j - i, ":") : nil
        case ",", ";", ":", "!", "?":
            return (1, c == "," ? "," : (c == "!" || c == "?" ? "." : ":"))
        default:
            if Self.dashes.contains(c) { return (1, ":") }
            if Self.silentSymbols.contains(c) { return (1, "NFP") }
            return nil
        }
    }

    /// A trailing punctuation mark: its length and tag, or nil.
    private mutating func suffix(start: Int, end: Int) -> (Int, String)? {
        let i = end - 1
        let c = text[i]
        switch c {
        case ".":
            var j = i
            while j > start, text[j - 1] == "." { j -= 1 }
            if end - j >= 2 { return (end - j, ":") }
            if end == chunkEnd, nextWordIsLowercase() { return nil }  // "etc. to the" goes on
            return periodEndsWord(start: start, dot: i) ? (1, ".") : nil
        case "…": return (1, ":")
        case ",": return (1, ",")
        case ";", ":": return (1, ":")
        case "!", "?": return (1, ".")
        case ")", "]", "}": return (1, "-RRB-")
        case "\"", "”", "“", "»":
            doubleQuoteOpen = false
            return (1, "''")
        case "'", "’", "‘":
            // "the dogs' bones": a possessive apostrophe, unless a single quote is open.
            if !singleQuoteOpen, i > start, text[i - 1] == "s" || text[i - 1] == "S" { return nil }
            if TokenizerTables.apostropheWords.contains(lowercasedWord(from: start, to: end)) { return nil }
            singleQuoteOpen = false
            return (1, "''")
        default:
            if Self.dashes.contains(c) { return (1, ":") }
            if Self.silentSymbols.contains(c) { return (1, "NFP") }
            return nil
        }
    }

    /// spaCy splits a final period after a lowercase letter, a digit, `% ² - +`, other
    /// punctuation, or two capitals (`NASA.`), but not after one capital (`J.`) or inside `U.S.`.
    private func periodEndsWord(start: Int, dot: Int) -> Bool {
        guard dot > start else { return true }
        let before = text[dot - 1]
        if before.isLowercaseLetter || before.isUnicodeDigit { return true }
        if "%²-+\"'”’)]}!?,;:".unicodeScalars.contains(before) { return true }
        if before.isUppercaseLetter, dot - 2 >= start, text[dot - 2].isUppercaseLetter { return true }
        return false
    }

    /// Whether the next chunk starts with a lowercase letter (the sentence goes on).
    private func nextWordIsLowercase() -> Bool {
        var k = chunkEnd
        while k < text.count, text[k].isWhitespaceLike { k += 1 }
        return k < text.count && text[k].isLowercaseLetter
    }

    private mutating func toggleDoubleQuote() -> String {
        doubleQuoteOpen.toggle()
        return doubleQuoteOpen ? "``" : "''"
    }

    private mutating func toggleSingleQuote() -> String {
        singleQuoteOpen.toggle()
        return singleQuoteOpen ? "``" : "''"
    }

    private func lowercasedWord(from start: Int, to end: Int) -> String {
        guard end - start <= 8 else { return "" }
        return string(start..<end).lowercased().straightApostrophes
    }
}

extension EnglishTokenizer {
    // MARK: - Inside a chunk

    /// Splits the chunk core at dashes, ellipses, and commas or periods between words,
    /// then splits contractions. URLs and e-mail addresses stay whole.
    private mutating func splitCore(_ core: Range<Int>) {
        if looksLikeAddress(core) {
            appendWord(core)
            return
        }
        var wordStart = core.lowerBound
        var k = core.lowerBound
        while k < core.upperBound {
            let c = text[k]
            var length = 0
            var tag = ""
            if c == "." && k + 1 < core.upperBound && text[k + 1] == "." {
                var j = k
                while j < core.upperBound, text[j] == "." { j += 1 }
                length = j - k
                tag = ":"
            } else if c == "…" || Self.dashes.contains(c) {
                length = 1
                tag = ":"
            } else if c == "-", k + 1 < core.upperBound, text[k + 1] == "-", k > core.lowerBound {
                var j = k
                while j < core.upperBound, text[j] == "-" { j += 1 }
                length = j - k
                tag = ":"
            } else if k > core.lowerBound, k + 1 < core.upperBound {
                let before = text[k - 1], after = text[k + 1]
                if c == ",", before.isLetter, after.isLetter {
                    length = 1; tag = ","
                } else if c == ".", before.isLowercaseLetter, after.isUppercaseLetter {
                    length = 1; tag = "."
                } else if c == ":", before.isLetter || before.isASCIIDigit, after.isLetter {
                    length = 1; tag = ":"
                }
            }
            if length > 0 {
                if wordStart < k { appendWord(wordStart..<k) }
                tokens.append(punctuation(k..<k + length, tag))
                k += length
                wordStart = k
            } else if c == "-", k > wordStart, k + 1 < core.upperBound,
                      text[k - 1].isLetter || text[k - 1].isASCIIDigit, text[k + 1].isLetter || text[k + 1].isASCIIDigit {
                // A hyphen inside a word is a piece of its own (spaCy's infix), not a pause.
                appendWord(wordStart..<k)
                tokens.append(RawToken(range: k..<k + 1, text: "-", whitespace: false))
                k += 1
                wordStart = k
            } else {
                k += 1
            }
        }
        if wordStart < core.upperBound { appendWord(wordStart..<core.upperBound) }
    }

    private func looksLikeAddress(_ core: Range<Int>) -> Bool {
        guard core.count >= 5 else { return false }
        let s = string(core).lowercased()
        if s.contains("://") || s.hasPrefix("www.") { return true }
        if let at = s.firstIndex(of: "@"), s[at...].contains(".") { return true }
        return false
    }

    /// Appends a word, split like spaCy's contractions (`can't` → `ca` `n't`,
    /// `you're` → `you` `'re`, `Smith's` → `Smith` `'s`), and cut if absurdly long.
    private mutating func appendWord(_ range: Range<Int>) {
        if range.count > Self.maxPieceLength {
            var start = range.lowerBound
            while start < range.upperBound {
                let end = min(start + Self.maxPieceLength, range.upperBound)
                tokens.append(RawToken(range: start..<end, text: string(start..<end), whitespace: end < range.upperBound))
                start = end
            }
            return
        }
        let lower = string(range).straightApostrophes.lowercased()
        var split = 0
        if lower.hasSuffix("n't"), TokenizerTables.negatableBases.contains(String(lower.dropLast(3))) {
            split = 3
        } else if let suffix = TokenizerTables.contractionSuffixes.first(where: { lower.hasSuffix($0) }),
                  TokenizerTables.contractingWords.contains(String(lower.dropLast(suffix.count))) {
            split = suffix.count
        } else if lower.hasSuffix("'s"), lower.count > 2 {
            split = 2
        }
        if split > 0, split < range.count {
            let cut = range.upperBound - split
            tokens.append(RawToken(range: range.lowerBound..<cut, text: string(range.lowerBound..<cut), whitespace: false))
            tokens.append(RawToken(range: cut..<range.upperBound, text: string(cut..<range.upperBound), whitespace: false))
        } else {
            tokens.append(RawToken(range: range, text: string(range), whitespace: false))
        }
    }
}
