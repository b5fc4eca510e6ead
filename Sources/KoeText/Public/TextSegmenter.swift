/// A sentence or clause of a text, with its place in the text.
public struct TextSegment: Sendable, Equatable {
    /// The segment's code-point range in the text it came from (end exclusive), without
    /// surrounding whitespace.
    public var range: Range<Int>
    /// The segment's text.
    public var text: String
    /// Whether the segment ends a sentence (always true for ``TextSegmenter/sentences(in:)``).
    public var endsSentence: Bool
}

/// Splits text into sentences and clauses, so long text can be cut below Kokoro's
/// 510-phoneme limit at the most natural boundary.
///
/// A sentence ends at `.`, `!`, `?` or `…` (with any closing quotes or brackets after it)
/// followed by whitespace and then a capital, a digit or an opening quote, or by the end of
/// the text; a line break also ends a sentence. Periods of abbreviations and titles
/// (`Dr.`, `e.g.`, `U.S.`, initials like `J.`), decimals (`3.14`) and stops inside quotes
/// followed by a lowercase word (`"Wait!" she said.`) do not. Clauses end after
/// `, ; : — –` and closing brackets followed by whitespace. Japanese needs no spaces: `。！？`
/// end a sentence and `、` a clause wherever they stand, except a stop inside a quotation
/// that the sentence goes on after (`「はい。」と答えた。` is one sentence). Linear in the text length.
public struct TextSegmenter: Sendable {
    public init() {}

    /// The sentences of `text`, in order.
    public func sentences(in text: String) -> [TextSegment] {
        segments(in: Array(text.unicodeScalars), clauses: false)
    }

    /// The clauses of `text`, in order; a clause that closes a sentence has `endsSentence`.
    public func clauses(in text: String) -> [TextSegment] {
        segments(in: Array(text.unicodeScalars), clauses: true)
    }

    static let sentenceEnders: Set<Unicode.Scalar> = [".", "!", "?", "…", "。", "！", "？", "।"]
    static let clauseEnders: Set<Unicode.Scalar> = [",", ";", ":", "—", "–", "、", "，", "；", "："]
    static let closers: Set<Unicode.Scalar> = ["\"", "'", "”", "’", "»", ")", "]", "}", "」", "』", "）", "】", "〕", "》", "〉"]
    static let openers: Set<Unicode.Scalar> = ["\"", "'", "“", "‘", "«", "(", "[", "{", "¿", "¡", "「", "『", "（", "【", "〔", "《", "〈"]
    /// Japanese stops and clause marks: they end a sentence or clause with no space after.
    static let fullWidthStops: Set<Unicode.Scalar> = ["。", "！", "？", "｡"]
    static let fullWidthClauseMarks: Set<Unicode.Scalar> = ["、", "，", "；", "：", "､"]

    /// Kana, CJK ideographs and the marks written with them (Japanese text has no spaces).
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3005, 0x3041...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0xFF66...0xFF9F, 0x20000...0x3FFFF: true
        default: false
        }
    }
    /// Titles and abbreviations after which a period does not end a sentence.
    static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "mt", "ft", "gen", "gov", "sen", "rep", "rev", "sgt",
        "lt", "col", "capt", "cmdr", "adm", "messrs", "vs", "etc", "e.g", "i.e", "cf", "no", "vol", "fig", "approx",
        "inc", "ltd", "corp", "co", "dept", "est", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
        "oct", "nov", "dec", "a.m", "p.m", "u.s", "u.k", "ph.d", "av", "ave", "blvd",
    ]
    /// Abbreviations that may also end a sentence when a capital follows.
    static let sentenceFinalAbbreviations: Set<String> = ["etc", "inc", "ltd", "corp", "co", "a.m", "p.m", "u.s", "u.k"]

    private func segments(in s: [Unicode.Scalar], clauses: Bool) -> [TextSegment] {
        var result: [TextSegment] = []
        var start = 0
        func emit(_ end: Int, endsSentence: Bool) {
            var lo = start, hi = end
            while lo < hi, s[lo].isWhitespaceLike { lo += 1 }
            while hi > lo, s[hi - 1].isWhitespaceLike { hi -= 1 }
            if lo < hi {
                result.append(TextSegment(range: lo..<hi, text: String(scalars: s[lo..<hi]), endsSentence: endsSentence))
            }
            start = end
        }
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\n" || c == "\r" || c == "\u{2029}" {
                emit(i, endsSentence: true)
                i += 1
                continue
            }
            if Self.sentenceEnders.contains(c) {
                var end = i + 1
                while end < s.count, Self.sentenceEnders.contains(s[end]) { end += 1 }
                while end < s.count, Self.closers.contains(s[end]) { end += 1 }
                if isSentenceEnd(s, punctuation: i, after: end) {
                    emit(end, endsSentence: true)
                }
                i = end
                continue
            }
            if clauses, Self.clauseEnders.contains(c) || c == ")" {
                var end = i + 1
                while end < s.count, Self.closers.contains(s[end]) { end += 1 }
                // Only before whitespace: "40,000" and "9:30" go on. Japanese: 、 always.
                if end == s.count || s[end].isWhitespaceLike || Self.fullWidthClauseMarks.contains(c) || Self.isCJK(s[end]) {
                    emit(end, endsSentence: false)
                }
                i = end
                continue
            }
            i += 1
        }
        emit(s.count, endsSentence: true)
        return result
    }

    private func isSentenceEnd(_ s: [Unicode.Scalar], punctuation i: Int, after end: Int) -> Bool {
        var next = end
        while next < s.count, s[next].isWhitespaceLike, s[next] != "\n" { next += 1 }
        if next == s.count || s[next] == "\n" { return true }
        if next == end {
            // Japanese: 。！？ end a sentence with no space after, and so does a stop right before
            // kana or kanji; but not before a closing quote that the sentence goes on after
            // (「はい。」と答えた).
            var stops = i
            while stops < end, Self.sentenceEnders.contains(s[stops]) { stops += 1 }
            if stops < end { return Self.openers.contains(s[end]) }
            return Self.fullWidthStops.contains(s[i]) || Self.isCJK(s[end])
        }
        let follower = s[next]
        guard !follower.isLowercaseLetter else { return false }
        guard s[i] == "." else { return true }
        // The word before the period.
        var w = i
        while w > 0, !s[w - 1].isWhitespaceLike, !Self.openers.contains(s[w - 1]) { w -= 1 }
        let word = String(scalars: s[w..<i]).lowercased()
        if word.unicodeScalars.count == 1, let only = word.unicodeScalars.first, only.isLetter { return false }  // "J. K."
        if Self.abbreviations.contains(word) {
            return Self.sentenceFinalAbbreviations.contains(word) && follower.isUppercaseLetter
        }
        return true
    }
}
