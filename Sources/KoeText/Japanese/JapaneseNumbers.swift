/// Numbers read in kana, written as UniDic pronounces them (long vowels as ー): each
/// element is one morpheme (`2024` → に・せん・に・じゅー・よん) so counters can change the
/// last one (`1本` → いっぽん).
enum JapaneseNumbers {
    static let digits = ["ぜろ", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅー"]
    /// Powers of 10 000 up to 10^16; longer numbers are read digit by digit.
    static let bigUnits = ["", "まん", "おく", "ちょー", "けー"]

    /// The elements of an integer given as ASCII digits (leading zeros ignored).
    static func elements(_ digitString: Substring) -> [String] {
        var values = digitString.unicodeScalars.compactMap { s -> Int? in
            s.isASCIIDigit ? Int(s.value - 0x30) : nil
        }
        while values.count > 1, values.first == 0 { values.removeFirst() }
        guard !values.isEmpty else { return [] }
        if values.count > 4 * bigUnits.count {
            return values.map { digits[$0] }
        }
        if values == [0] { return [digits[0]] }
        let total = values.count
        var out: [String] = []
        var groupIndex = (total - 1) / 4
        var position = 0
        while position < total {
            let width = total - position - 4 * groupIndex
            let group = Array(values[position..<(position + width)])
            position += width
            let elements = groupElements(group, largeNumber: total > 4)
            if !elements.isEmpty {
                out += elements
                if groupIndex > 0 {
                    out.append(contentsOf: unit(groupIndex, after: &out))
                }
            }
            groupIndex -= 1
        }
        return out
    }

    /// One group of up to four digits. A lone 1000 inside a larger number reads いっせん,
    /// as misaki reads it.
    private static func groupElements(_ group: [Int], largeNumber: Bool) -> [String] {
        let padded = [Int](repeating: 0, count: 4 - group.count) + group
        let (th, h, t, o) = (padded[0], padded[1], padded[2], padded[3])
        var out: [String] = []
        switch th {
        case 0: break
        case 1: out += largeNumber ? ["いっ", "せん"] : ["せん"]
        case 3: out += ["さん", "ぜん"]
        case 8: out += ["はっ", "せん"]
        default: out += [digits[th], "せん"]
        }
        switch h {
        case 0: break
        case 1: out.append("ひゃく")
        case 3: out += ["さん", "びゃく"]
        case 6: out += ["ろっ", "ぴゃく"]
        case 8: out += ["はっ", "ぴゃく"]
        default: out += [digits[h], "ひゃく"]
        }
        if t == 1 { out.append("じゅー") } else if t > 1 { out += [digits[t], "じゅー"] }
        if o > 0 { out.append(digits[o]) }
        return out
    }

    /// The unit after a group (まん, おく, ちょー, けー), with the sound changes of ちょう
    /// and けい (いっちょう, はっちょう, じゅっちょう).
    private static func unit(_ index: Int, after out: inout [String]) -> [String] {
        let name = bigUnits[index]
        if index >= 3, let last = out.last {
            let geminated: [String: String] = ["いち": "いっ", "はち": "はっ", "じゅー": "じゅっ", "ろく": index == 4 ? "ろっ" : "ろく"]
            if let g = geminated[last] { out[out.count - 1] = g }
        }
        return [name]
    }

    /// The reading misaki's num2kana gives (う spelling, ゼロ) for up to nine digits, or nil.
    static func misakiKana(_ digitString: Substring) -> String? {
        guard digitString.unicodeScalars.count <= 9 else { return nil }
        let kana = elements(digitString).joined()
        return kana.replacingOccurrences(of: "ゅー", with: "ゅう").replacingOccurrences(of: "ぜろ", with: "ゼロ")
    }

    /// A decimal number: the integer part, てん (いってん, はってん, じゅってん), then the
    /// digits one by one (`3.14` → さんてんいちよん, `0.5` → れいてんご).
    static func decimalElements(integer: Substring, fraction: Substring) -> [String] {
        var out = elements(integer)
        if out == ["ぜろ"] { out = ["れー"] }
        if let last = out.last {
            let geminated: [String: String] = ["いち": "いっ", "はち": "はっ", "じゅー": "じゅっ"]
            if let g = geminated[last] { out[out.count - 1] = g }
        }
        out.append("てん")
        for s in fraction.unicodeScalars where s.isASCIIDigit {
            out.append(digits[Int(s.value - 0x30)])
        }
        return out
    }
}
