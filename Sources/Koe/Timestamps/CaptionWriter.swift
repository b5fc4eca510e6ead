import Foundation

/// Caption and timestamp file formats.
public enum CaptionFormat: String, Sendable, CaseIterable, Codable {
    case json, srt, vtt, tsv

    public init?(fileExtension: String) {
        self.init(rawValue: fileExtension.lowercased())
    }
}

/// Writes word and sentence timestamps as JSON, SRT, WebVTT or TSV.
public enum CaptionWriter {
    /// Readable cues: at most this many characters per line, two lines per cue.
    public static let maxLineLength = 42
    public static let maxLines = 2
    /// Lines of Japanese (or other text written without spaces): about this many full-width
    /// characters, broken between words (a half-width character counts half).
    public static let maxFullWidthLineLength = 20.0
    /// A cue never runs longer than this (seconds) unless a single word does.
    public static let maxCueDuration = 7.0

    public static func render(_ format: CaptionFormat, text: String, words: [WordTimestamp], sentences: [SentenceTimestamp]) -> String {
        switch format {
        case .json: json(words: words, sentences: sentences)
        case .srt: srt(cues(text: text, words: words, sentences: sentences))
        case .vtt: vtt(cues(text: text, words: words, sentences: sentences))
        case .tsv: tsv(words)
        }
    }

    /// `{"words":[{"text","startMs","endMs","charStart","charEnd"}],"sentences":[…]}`, keys in
    /// that order, one item per line.
    public static func json(words: [WordTimestamp], sentences: [SentenceTimestamp]) -> String {
        func ms(_ s: Double) -> Int { Int((s * 1000).rounded()) }
        func item(_ text: String, _ start: Double, _ end: Double, _ charStart: Int, _ charEnd: Int) -> String {
            "{\"text\":\(jsonString(text)),\"startMs\":\(ms(start)),\"endMs\":\(ms(end)),\"charStart\":\(charStart),\"charEnd\":\(charEnd)}"
        }
        let w = words.map { item($0.text, $0.start, $0.end, $0.charStart, $0.charEnd) }
        let s = sentences.map { item($0.text, $0.start, $0.end, $0.charStart, $0.charEnd) }
        func list(_ items: [String]) -> String { items.isEmpty ? "[]" : "[\n  " + items.joined(separator: ",\n  ") + "\n]" }
        return "{\"words\":" + list(w) + ",\n\"sentences\":" + list(s) + "}\n"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, other
    /// text written as UTF-8.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// `word<TAB>start<TAB>end`, seconds with millisecond precision.
    public static func tsv(_ words: [WordTimestamp]) -> String {
        words.map { "\($0.text)\t\(String(format: "%.3f", $0.start))\t\(String(format: "%.3f", $0.end))\n" }.joined()
    }

    public struct Cue: Sendable, Equatable {
        public var start: Double
        public var end: Double
        public var lines: [String]
    }

    /// Groups words into cues: never across a sentence, at most two lines of 42 characters,
    /// lines broken between words.
    public static func cues(text: String, words: [WordTimestamp], sentences: [SentenceTimestamp]) -> [Cue] {
        var groups: [Range<Int>] = sentences.map(\.words).filter { !$0.isEmpty }
        if groups.isEmpty && !words.isEmpty { groups = [0..<words.count] }
        let scalars = Array(text.unicodeScalars)
        func isSpace(_ k: Int) -> Bool { CharacterSet.whitespacesAndNewlines.contains(scalars[k]) }
        // Each word with the punctuation attached to it (opening quotes before, stops after),
        // and whether whitespace separates it from the word before.
        var pieces = [String](), spaced = [Bool]()
        pieces.reserveCapacity(words.count)
        var previousEnd = 0
        for (j, w) in words.enumerated() {
            let floor = min(previousEnd, max(w.charStart, 0))
            let ceiling = j + 1 < words.count ? max(words[j + 1].charStart, w.charEnd) : scalars.count
            let start = min(max(w.charStart, 0), scalars.count), end = min(max(w.charEnd, start), scalars.count)
            let limit = min(ceiling, scalars.count)
            // An inline pronunciation `[word](/phonemes/)` shows as the word alone.
            let override = Self.overrideTail(scalars, after: end, limit: limit)
            var lo = start
            while lo > floor, !isSpace(lo - 1) { lo -= 1 }
            var tail = override ?? end
            // Unspaced text: stops stay with the word before, opening brackets go with the next.
            while tail < limit, !isSpace(tail), !Self.openingBrackets.contains(scalars[tail]) { tail += 1 }
            var piece = String.UnicodeScalarView(scalars[lo..<start].filter { override == nil || $0 != "[" })
            piece.append(contentsOf: scalars[start..<end])
            piece.append(contentsOf: scalars[(override ?? end)..<tail])
            pieces.append(String(piece))
            spaced.append(lo > 0 && isSpace(lo - 1))
            previousEnd = tail
        }
        var cues = [Cue]()
        for g in groups {
            var i = g.lowerBound
            while i < g.upperBound {
                var lines = [String]()
                var line = ""
                var j = i
                while j < g.upperBound {
                    let piece = pieces[j]
                    let candidate = line.isEmpty ? piece : line + (spaced[j] ? " " : "") + piece
                    let breakable = spaced[j] || Self.isWide(line.unicodeScalars.last) || Self.isWide(piece.unicodeScalars.first)
                    let tooLong = Self.exceedsLine(candidate) && !line.isEmpty && breakable
                    let tooSlow = words[j].end - words[i].start > maxCueDuration && j > i
                    if tooLong || tooSlow {
                        if tooSlow || lines.count + 1 >= maxLines { break }
                        lines.append(line)
                        line = piece
                    } else {
                        line = candidate
                    }
                    j += 1
                }
                if !line.isEmpty { lines.append(line) }
                if lines.count == 2, j - i > 1, !spaced[(i + 1)..<j].contains(true) {
                    lines = balancedLines(Array(pieces[i..<j])) ?? lines
                }
                let last = max(i, j - 1)
                cues.append(Cue(start: words[i].start, end: words[last].end, lines: lines))
                i = max(j, i + 1)
            }
        }
        return cues
    }

    /// Two lines of unspaced text (Japanese) split between words as evenly as they fit, so
    /// a short tail such as ました。 does not sit alone on the second line.
    static func balancedLines(_ pieces: [String]) -> [String]? {
        var best: (width: Double, lines: [String])?
        for k in 1..<pieces.count {
            let first = pieces[..<k].joined(), second = pieces[k...].joined()
            guard !exceedsLine(first), !exceedsLine(second) else { continue }
            let width = max(displayWidth(first), displayWidth(second))
            if width < (best?.width ?? .infinity) { best = (width, [first, second]) }
        }
        return best?.lines
    }

    static func displayWidth(_ line: String) -> Double {
        line.unicodeScalars.reduce(0.0) { $0 + (isWide($1) ? 1 : 0.5) }
    }

    static let openingBrackets: Set<Unicode.Scalar> = ["「", "『", "（", "【", "〈", "《", "〔"]

    /// Whether a line is too long: 42 characters, or 20 full-width ones when it has any.
    static func exceedsLine(_ line: String) -> Bool {
        guard line.unicodeScalars.contains(where: { isWide($0) }) else { return line.count > maxLineLength }
        return displayWidth(line) > maxFullWidthLineLength
    }

    /// Full-width (East Asian wide) characters: kana, CJK ideographs and punctuation,
    /// full-width forms, Hangul.
    static func isWide(_ s: Unicode.Scalar?) -> Bool {
        guard let v = s?.value else { return false }
        return switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA960...0xA97F,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF01...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD: true
        default: false
        }
    }

    /// Where an inline pronunciation `](/…/)` that follows a word ends, or nil.
    static func overrideTail(_ s: [Unicode.Scalar], after end: Int, limit: Int) -> Int? {
        guard end + 2 < limit, s[end] == "]", s[end + 1] == "(", s[end + 2] == "/" else { return nil }
        var k = end + 3
        while k < limit, s[k] != ")" { k += 1 }
        return k < limit ? k + 1 : nil
    }

    public static func srt(_ cues: [Cue]) -> String {
        cues.enumerated().map { i, c in
            "\(i + 1)\n\(stamp(c.start, ",")) --> \(stamp(c.end, ","))\n\(c.lines.joined(separator: "\n"))\n"
        }.joined(separator: "\n")
    }

    public static func vtt(_ cues: [Cue]) -> String {
        "WEBVTT\n\n" + cues.map { c in
            "\(stamp(c.start, ".")) --> \(stamp(c.end, "."))\n\(c.lines.joined(separator: "\n"))\n"
        }.joined(separator: "\n")
    }

    /// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (WebVTT).
    static func stamp(_ seconds: Double, _ sep: String) -> String {
        let ms = max(0, Int((seconds * 1000).rounded()))
        return String(format: "%02d:%02d:%02d", ms / 3_600_000, (ms / 60_000) % 60, (ms / 1000) % 60)
            + sep + String(format: "%03d", ms % 1000)
    }
}
