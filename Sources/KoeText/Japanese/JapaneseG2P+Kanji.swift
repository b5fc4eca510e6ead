extension JapaneseG2P {
    static let kanjiDigits: [Character: Int] = ["〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
    static let kanjiPowers: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
    static let kanjiSections: [Character: Int] = ["万": 10_000, "億": 100_000_000, "兆": 1_000_000_000_000]

    /// The value of a number written in kanji (`三`, `二十五`, `三千五百`, `二〇二四`), or nil.
    static func kanjiValue(_ text: String) -> Int? {
        guard !text.isEmpty, text.count <= 16, text.allSatisfy({ kanjiDigits[$0] != nil || kanjiPowers[$0] != nil || kanjiSections[$0] != nil }) else {
            return nil
        }
        if text.allSatisfy({ kanjiDigits[$0] != nil }) {  // digit by digit: 二〇二四
            return text.reduce(0) { $0 * 10 + (kanjiDigits[$1] ?? 0) }
        }
        var total = 0, section = 0, digit: Int?
        for c in text {
            if let d = kanjiDigits[c] {
                guard digit == nil else { return nil }  // 二三 inside a number: not a number
                digit = d
            } else if let p = kanjiPowers[c] {
                section += (digit ?? 1) * p
                digit = nil
            } else if let s = kanjiSections[c] {
                total += (section + (digit ?? 0)) * s
                section = 0
                digit = nil
            }
        }
        return total + section + (digit ?? 0)
    }

    /// Numbers in kanji before a counter, read with the counter's sound changes: UniDic reads
    /// 三匹 さん・ひき and 一本 いち・ぽん. Left alone: readings that are already right, and
    /// 十分 (usually じゅうぶん, "enough").
    static func readKanjiNumerals(_ words: [JapaneseWord]) -> [JapaneseWord] {
        var out: [JapaneseWord] = []
        out.reserveCapacity(words.count)
        var i = 0
        while i < words.count {
            var end = i
            while end < words.count, words[end].charType == 6, !words[end].surface.isEmpty,
                  words[end].surface.allSatisfy({ kanjiDigits[$0] != nil || kanjiPowers[$0] != nil || kanjiSections[$0] != nil }) {
                end += 1
            }
            guard end > i, let value = kanjiValue(words[i..<end].map(\.surface).joined()) else {
                out.append(words[i])
                i += 1
                continue
            }
            let numeral = words[i..<end].map(\.surface).joined()
            var match: (key: String, counter: JapaneseCounter, end: Int)?
            var key = ""
            for k in end..<min(end + 3, words.count) {
                key += words[k].surface
                if let counter = JapaneseCounter.table[key] { match = (key, counter, k + 1) }
            }
            guard let match, !(numeral == "十" && match.key == "分") else {
                out += words[i..<end]
                i = end
                continue
            }
            let afterMonth = out.last?.surface == "月"
            let accepted = match.counter.readings(elements: JapaneseNumbers.elements(Substring(String(value))), value: value,
                                                  dateAfterMonth: afterMonth, key: match.key)
            let pieces = Array(words[i..<match.end])
            if accepted.contains(pieces.map(\.reading).joined()) {
                out += pieces
            } else {
                var reread = reread(pieces, as: accepted.first ?? "", original: pieces[0].original.lowerBound..<(pieces.last?.original.upperBound ?? 0), isolate: false)
                for k in reread.indices.dropFirst() { reread[k].joinsPrevious = true }
                out += reread
            }
            i = match.end
        }
        return out
    }
}
