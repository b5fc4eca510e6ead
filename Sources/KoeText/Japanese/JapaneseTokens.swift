/// A unit of Japanese text on its way to phonemes: a MeCab token, or a number read by
/// Koe's own rules, or (after grouping) a word of several tokens.
struct JapaneseWord {
    /// The text as tagged (number kana for numbers, like misaki).
    var surface: String
    /// The reading in hiragana (UniDic's pronunciation, else its kana, else the surface).
    var reading: String
    /// misaki's class: 6 for dictionary words and katakana, else MeCab's character class;
    /// ``JapaneseWord/numberClass`` for numbers read by Koe (never grouped).
    var charType: Int
    /// The code points of the input this word came from.
    var original: Range<Int>
    /// Phonemes fixed in advance (numbers read by Koe), else nil.
    var phonemes: String?
    /// Whether this belongs to the word before (the later pieces of a number, its counter):
    /// one timestamp for `3月`, not two.
    var joinsPrevious = false

    static let numberClass = -1
    /// Tokens of a number's kana that may group with each other but not with their neighbours.
    static let isolatedNumberClass = -2
}

/// The MeCab input: the normalised text with each digit run replaced by a space and its
/// kana, and where each scalar came from.
struct TaggerInput {
    var scalars: [Unicode.Scalar] = []
    var origin: [Range<Int>] = []
    /// For each scalar, the number span it was inserted for, if any.
    var numberIndex: [Int?] = []
    var numbers: [NumberSpan] = []

    mutating func append(_ s: Unicode.Scalar, origin range: Range<Int>, number: Int? = nil) {
        scalars.append(s)
        origin.append(range)
        numberIndex.append(number)
    }
}

/// A number in the text, how it reads, and the counter after it.
struct NumberSpan {
    enum Form: Equatable {
        /// A run of up to nine digits, read as misaki reads it.
        case plain
        /// Digit groups with commas (`1,280`), a decimal (`1.5`) or ten or more digits:
        /// read by Koe alone.
        case koe
    }

    var form: Form
    /// Its code points in the input.
    var original: Range<Int>
    /// Its value when it fits in an `Int` (for counters such as 1人, 5日).
    var value: Int?
    /// The kana elements (に・せん・に・じゅー・よん).
    var elements: [String]
    /// The counter right after it, its key and where it ends in the input.
    var counter: (key: String, counter: JapaneseCounter, original: Range<Int>)?
    /// Whether the number follows a month (`3月5日`: 5日 reads いつか, 1日 ついたち).
    var afterMonth = false

    var reading: String { elements.joined() }
}

extension TaggerInput {
    /// Currency signs read as the counter after the number.
    static let currencies: [Unicode.Scalar: String] = ["¥": "円", "$": "ドル", "€": "ユーロ", "£": "ポンド"]

    /// Builds the tagger input from normalised text: digit runs (with `,` groups and a
    /// decimal point) become a space plus misaki's kana for them.
    init(_ text: NormalizedJapanese) {
        let s = text.scalars
        var i = 0
        var currency: (at: Int, key: String)?
        while i < s.count {
            // A currency sign before a number is read after it (¥1,000 → せんえん).
            if let key = Self.currencies[s[i]], i + 1 < s.count, s[i + 1].isASCIIDigit {
                currency = (i, key)
                i += 1
                continue
            }
            guard s[i].isASCIIDigit else {
                append(s[i], origin: text.origin[i])
                i += 1
                continue
            }
            var end = i
            while end < s.count, s[end].isASCIIDigit { end += 1 }
            var digitText = String(scalars: s[i..<end])
            var form = NumberSpan.Form.plain
            var elements: [String]
            // Digit groups: 1–3 digits, then one or more ",ddd".
            var groupedEnd = end
            if end - i <= 3 {
                while groupedEnd + 3 < s.count, s[groupedEnd] == ",",
                      s[(groupedEnd + 1)...(groupedEnd + 3)].allSatisfy(\.isASCIIDigit),
                      groupedEnd + 4 == s.count || !s[groupedEnd + 4].isASCIIDigit {
                    digitText += String(scalars: s[(groupedEnd + 1)...(groupedEnd + 3)])
                    groupedEnd += 4
                }
            }
            let isTime = end - i <= 2 && end + 2 < s.count && s[end] == ":" && s[end + 1].isASCIIDigit && s[end + 2].isASCIIDigit
                && (end + 3 == s.count || !s[end + 3].isASCIIDigit)
            if isTime, let hours = Int(digitText), let minutes = Int(String(scalars: s[(end + 1)...(end + 2)])), minutes < 60 {
                // 10:30 → じゅうじさんじゅっぷん, 9:00 → くじ.
                let hour = JapaneseCounter.table["時"]?.readings(elements: JapaneseNumbers.elements(Substring(digitText)), value: hours,
                                                               dateAfterMonth: false, key: "時").first ?? ""
                let minute = minutes == 0 ? "" : JapaneseCounter.table["分"]?.readings(
                    elements: JapaneseNumbers.elements(Substring(String(minutes))), value: minutes, dateAfterMonth: false, key: "分").first ?? ""
                elements = [hour + minute]
                form = .koe
                end += 3
                digitText = ""
            } else if groupedEnd > end {
                form = .koe
                end = groupedEnd
                elements = JapaneseNumbers.elements(Substring(digitText))
            } else if end + 1 < s.count, s[end] == ".", s[end + 1].isASCIIDigit {
                var fractionEnd = end + 1
                while fractionEnd < s.count, s[fractionEnd].isASCIIDigit { fractionEnd += 1 }
                elements = JapaneseNumbers.decimalElements(integer: Substring(digitText),
                                                           fraction: Substring(String(scalars: s[(end + 1)..<fractionEnd])))
                form = .koe
                end = fractionEnd
                digitText = ""
            } else {
                elements = JapaneseNumbers.elements(Substring(digitText))
                if end - i > 9 { form = .koe }
            }
            let value = digitText.isEmpty ? nil : Int(digitText.prefix(18))
            var start = i
            if let sign = currency, sign.at == i - 1, let counter = JapaneseCounter.table[sign.key] {
                elements = [counter.readings(elements: elements, value: value, dateAfterMonth: false, key: sign.key).first ?? ""]
                form = .koe
                start = sign.at
            }
            currency = nil
            let original = text.originalRange(start..<end)
            var span = NumberSpan(form: form, original: original, value: value, elements: elements)
            if !isTime, start == i, let match = JapaneseCounter.match(s, at: end),
               // 5分の1 is a fraction (ごぶんのいち): not minutes.
               !(match.key == "分" && end + 1 < s.count && s[end + 1] == "の") {
                span.counter = (match.key, match.counter, text.originalRange(end..<(end + match.length)))
            }
            if let previous = numbers.last, previous.counter?.key == "月", previous.counter?.original.upperBound == original.lowerBound {
                span.afterMonth = true
            }
            let index = numbers.count
            numbers.append(span)
            let kana = form == .plain
                ? (JapaneseNumbers.misakiKana(Substring(digitText)) ?? span.reading)
                : span.reading.replacingOccurrences(of: "ゅー", with: "ゅう")
            append(" ", origin: original, number: index)
            for k in kana.unicodeScalars { append(k, origin: original, number: index) }
            i = end
        }
    }
}
