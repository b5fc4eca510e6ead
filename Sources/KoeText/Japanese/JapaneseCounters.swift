/// Counters (助数詞) after a number, with the sound changes a Japanese reader makes:
/// `1本` いっぽん, `3本` さんぼん, `6分` ろっぷん, `10回` じゅっかい, `3月` さんがつ,
/// `4時` よじ, `1人` ひとり, `5日` いつか. misaki reads the digits and the counter apart
/// (ごぽん, さんつき); these rules read them together.
struct JapaneseCounter {
    /// How the number's last element and the counter's first kana change.
    enum Kind {
        /// は-row counters (本 匹 杯 分 …): っ + ぱ-row after 1, 6, 8, 10, 100; the listed
        /// form after 3, 4 and 1000.
        case h(three: Voicing, four: Voicing, thousand: Voicing)
        /// か-row counters (回 個 階 …): っ after 1, 6, 8, 10, 100; after 3 as given.
        case k(three: Voicing)
        /// さ-row counters (冊 歳 足 …): っ after 1, 8, 10; after 3 as given.
        case s(three: Voicing)
        /// た-row counters (頭 通 点 …): っ after 1, 8, 10.
        case t
        /// No sound change (the entry still fixes the counter's reading).
        case plain
    }

    enum Voicing { case plain, voiced, semiVoiced }

    var reading: String
    var kind: Kind
    /// Readings of whole small numbers (1人 ひとり, 5日 いつか).
    var exact: [Int: String] = [:]
    /// The last element and the counter read together (4人 → よにん, 9時 → くじ).
    var lastElement: [String: String] = [:]
    /// Other readings of the last element and the counter accepted as correct when the
    /// tagger already gives them (7時 ななじ besides しちじ).
    var alternatives: [String: String] = [:]

    static let table: [String: JapaneseCounter] = {
        var t: [String: JapaneseCounter] = [:]
        for (key, reading) in [("本", "ほん"), ("匹", "ひき"), ("杯", "はい"), ("遍", "へん")] {
            t[key] = JapaneseCounter(reading: reading, kind: .h(three: .voiced, four: .plain, thousand: .voiced))
        }
        for (key, reading) in [("分", "ふん"), ("分間", "ふんかん"), ("泊", "はく"), ("発", "はつ"), ("品", "ひん"), ("票", "ひょー")] {
            t[key] = JapaneseCounter(reading: reading, kind: .h(three: .semiVoiced, four: .semiVoiced, thousand: .semiVoiced))
        }
        t["歩"] = JapaneseCounter(reading: "ほ", kind: .h(three: .semiVoiced, four: .plain, thousand: .plain))
        for (key, reading) in [("回", "かい"), ("回目", "かいめ"), ("個", "こ"), ("巻", "かん"), ("曲", "きょく"), ("課", "か"),
                               ("件", "けん"), ("校", "こー"), ("か月", "かげつ"), ("ヶ月", "かげつ"), ("カ月", "かげつ"),
                               ("ヵ月", "かげつ"), ("か国", "かこく"), ("ヶ国", "かこく"), ("カ国", "かこく"), ("箇所", "かしょ"),
                               ("ヶ所", "かしょ"), ("か所", "かしょ"), ("カ所", "かしょ"), ("機", "き"), ("期", "き"), ("局", "きょく"), ("戸", "こ")] {
            t[key] = JapaneseCounter(reading: reading, kind: .k(three: .plain))
        }
        t["階"] = JapaneseCounter(reading: "かい", kind: .k(three: .voiced))
        t["軒"] = JapaneseCounter(reading: "けん", kind: .k(three: .voiced))
        for (key, reading) in [("冊", "さつ"), ("週", "しゅー"), ("週間", "しゅーかん"), ("周", "しゅー"), ("隻", "せき"), ("社", "しゃ"),
                               ("種類", "しゅるい"), ("種", "しゅ"), ("節", "せつ"), ("試合", "しあい"), ("章", "しょー"), ("席", "せき"), ("勝", "しょー"), ("世紀", "せーき")] {
            t[key] = JapaneseCounter(reading: reading, kind: .s(three: .plain))
        }
        for key in ["歳", "才"] {
            t[key] = JapaneseCounter(reading: "さい", kind: .s(three: .plain), exact: [20: "はたち"])
        }
        t["足"] = JapaneseCounter(reading: "そく", kind: .s(three: .voiced))
        for (key, reading) in [("頭", "とー"), ("通", "つー"), ("着", "ちゃく"), ("点", "てん"), ("丁目", "ちょーめ"), ("対", "つい")] {
            t[key] = JapaneseCounter(reading: reading, kind: .t)
        }
        for (key, reading) in [("枚", "まい"), ("台", "だい"), ("度", "ど"), ("秒", "びょー"), ("号", "ごー"), ("番", "ばん"),
                               ("倍", "ばい"), ("割", "わり"), ("ドル", "どる"), ("ユーロ", "ゆーろ"), ("ポンド", "ぽんど"), ("キロ", "きろ"), ("%", "ぱーせんと"), ("問", "もん"), ("題", "だい"),
                               ("部", "ぶ"), ("条", "じょー"), ("代", "だい"), ("位", "い"), ("名", "めー")] {
            t[key] = JapaneseCounter(reading: reading, kind: .plain)
        }
        t["人"] = JapaneseCounter(reading: "にん", kind: .plain, exact: [1: "ひとり", 2: "ふたり"], lastElement: ["よん": "よにん"])
        for (key, reading) in [("時", "じ"), ("時間", "じかん")] {
            t[key] = JapaneseCounter(reading: reading, kind: .plain,
                                     lastElement: ["よん": "よ" + reading, "なな": "しち" + reading, "きゅー": "く" + reading],
                                     alternatives: ["なな": "なな" + reading])
        }
        t["月"] = JapaneseCounter(reading: "がつ", kind: .plain, lastElement: ["よん": "しがつ", "なな": "しちがつ", "きゅー": "くがつ"])
        for (key, reading) in [("年", "ねん"), ("年間", "ねんかん"), ("年生", "ねんせー"), ("円", "えん")] {
            t[key] = JapaneseCounter(reading: reading, kind: .plain, lastElement: ["よん": "よ" + reading])
        }
        let days = [2: "ふつか", 3: "みっか", 4: "よっか", 5: "いつか", 6: "むいか", 7: "なのか", 8: "よーか", 9: "ここのか",
                    10: "とーか", 14: "じゅーよっか", 20: "はつか", 24: "にじゅーよっか"]
        t["日"] = JapaneseCounter(reading: "にち", kind: .plain, exact: days, lastElement: ["よん": "よっか"])
        t["日間"] = JapaneseCounter(reading: "にちかん", kind: .plain, exact: days.mapValues { $0 + "かん" },
                                  lastElement: ["よん": "よっかかん"])
        t["つ"] = JapaneseCounter(reading: "", kind: .plain, exact: [1: "ひとつ", 2: "ふたつ", 3: "みっつ", 4: "よっつ", 5: "いつつ",
                                                              6: "むっつ", 7: "ななつ", 8: "やっつ", 9: "ここのつ", 10: "とお"])
        return t
    }()

    /// Counter keys, longest first (ヶ月 before 月).
    static let keys: [String] = table.keys.sorted { $0.count > $1.count }

    /// The counter starting at `scalars[at...]`, with its length in scalars.
    static func match(_ scalars: [Unicode.Scalar], at: Int) -> (key: String, counter: JapaneseCounter, length: Int)? {
        for key in keys {
            let k = Array(key.unicodeScalars)
            guard at + k.count <= scalars.count, Array(scalars[at..<(at + k.count)]) == k, let counter = table[key] else { continue }
            return (key, counter, k.count)
        }
        return nil
    }

    /// The readings of a number (its elements and value) with this counter: the first is
    /// the one to say, the others are accepted too.
    func readings(elements: [String], value: Int?, dateAfterMonth: Bool, key: String) -> [String] {
        if key == "日", value == 1 { return [dateAfterMonth ? "ついたち" : "いちにち"] }
        if let value, let special = exact[value] { return [special] }
        if key == "つ" { return [elements.joined()] }  // 11つ and larger: no native reading
        guard var head = elements.last else { return [reading] }
        let before = elements.dropLast().joined()
        if let together = lastElement[head] {
            return [before + together] + (alternatives[head].map { [before + $0] } ?? [])
        }
        var body = reading
        let gemination: Set<String>
        switch kind {
        case .h(let three, let four, let thousand):
            gemination = ["いち", "ろく", "はち", "じゅー", "ひゃく", "びゃく", "ぴゃく"]
            if gemination.contains(head) {
                body = Self.voice(reading, .semiVoiced)
            } else if head == "さん" {
                body = Self.voice(reading, three)
            } else if head == "よん" {
                body = Self.voice(reading, four)
            } else if head == "せん" || head == "ぜん" || head == "まん" {
                body = Self.voice(reading, thousand)
            }
        case .k:
            gemination = ["いち", "ろく", "はち", "じゅー", "ひゃく", "びゃく", "ぴゃく"]
            if case .k(let three) = kind, head == "さん" { body = Self.voice(reading, three) }
        case .s(let three):
            gemination = ["いち", "はち", "じゅー"]
            if head == "さん" { body = Self.voice(reading, three) }
        case .t:
            gemination = ["いち", "はち", "じゅー"]
        case .plain:
            gemination = []
        }
        if gemination.contains(head) {
            head = String(head.dropLast()) + "っ"
        }
        return [before + head + body]
    }

    /// The counter with its first kana voiced (ほ → ぼ) or semi-voiced (ほ → ぽ).
    static func voice(_ reading: String, _ voicing: Voicing) -> String {
        guard let first = reading.first, voicing != .plain else { return reading }
        let plain = Array("かきくけこさしすせそたちつてとはひふへほ")
        let voiced = Array("がぎぐげござじずぜぞだぢづでどばびぶべぼ")
        let semi: [Character: Character] = ["は": "ぱ", "ひ": "ぴ", "ふ": "ぷ", "へ": "ぺ", "ほ": "ぽ"]
        let changed: Character?
        switch voicing {
        case .voiced: changed = plain.firstIndex(of: first).map { voiced[$0] }
        case .semiVoiced: changed = semi[first]
        case .plain: changed = nil
        }
        guard let changed else { return reading }
        return String(changed) + reading.dropFirst()
    }
}
