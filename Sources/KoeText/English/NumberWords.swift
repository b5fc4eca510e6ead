/// English number words as num2words writes them (cardinal, ordinal, year, decimal),
/// returned as word lists: `"one hundred and twenty-three"` → `["one", "hundred", "and",
/// "twenty", "three"]`. misaki splits num2words' text on non-letters in the same way.
/// Works on digit strings, so any length up to the decillions is exact.
enum NumberWords {
    static let ones = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    static let scales = [
        "", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion",
        "sextillion", "septillion", "octillion", "nonillion", "decillion",
    ]
    static let ordinalWords: [String: String] = [
        "one": "first", "two": "second", "three": "third", "four": "fourth", "five": "fifth",
        "six": "sixth", "seven": "seventh", "eight": "eighth", "nine": "ninth", "ten": "tenth",
        "eleven": "eleventh", "twelve": "twelfth",
    ]
    /// The longest digit string read as a cardinal; longer ones are read digit by digit.
    static let maxCardinalDigits = 3 * 12

    /// Cardinal words of a string of ASCII digits (leading zeros allowed).
    static func cardinal(_ digits: Substring) -> [String] {
        let trimmed = digits.drop { $0 == "0" }
        if trimmed.isEmpty { return ["zero"] }
        guard trimmed.count <= maxCardinalDigits else { return trimmed.map { ones[$0.wholeNumberValue ?? 0] } }
        var groups: [Int] = []
        var end = trimmed.endIndex
        while end > trimmed.startIndex {
            let start = trimmed.index(end, offsetBy: -3, limitedBy: trimmed.startIndex) ?? trimmed.startIndex
            groups.append(trimmed[start..<end].reduce(0) { $0 * 10 + ($1.wholeNumberValue ?? 0) })
            end = start
        }
        return cardinal(groups: Array(groups.reversed()))
    }

    static func cardinal(_ value: Int) -> [String] { cardinal(Substring(String(value.magnitude))) }

    /// `groups`: three-digit groups, most significant first, the first one non-zero.
    private static func cardinal(groups: [Int]) -> [String] {
        guard groups.count > 1 else { return hundreds(groups[0]) }
        var rest = groups.dropFirst()
        while rest.first == 0 { rest = rest.dropFirst() }
        var words = hundreds(groups[0]) + [scales[groups.count - 1]]
        if !rest.isEmpty {
            // num2words joins with "and" when what follows is below one hundred.
            if rest.count == 1 && rest.first! < 100 { words.append("and") }
            words += cardinal(groups: Array(rest))
        }
        return words
    }

    private static func hundreds(_ n: Int) -> [String] {
        let h = n / 100, r = n % 100
        guard h > 0 else { return belowHundred(r) }
        return [ones[h], "hundred"] + (r > 0 ? ["and"] + belowHundred(r) : [])
    }

    private static func belowHundred(_ n: Int) -> [String] {
        if n < 20 { return [ones[n]] }
        return [tens[n / 10]] + (n % 10 > 0 ? [ones[n % 10]] : [])
    }

    /// Ordinal words (`21` → twenty first, `100` → one hundredth).
    static func ordinal(_ digits: Substring) -> [String] {
        var words = cardinal(digits)
        guard let last = words.last else { return words }
        if let special = ordinalWords[last] {
            words[words.count - 1] = special
        } else if last.hasSuffix("y") {
            words[words.count - 1] = String(last.dropLast()) + "ieth"
        } else {
            words[words.count - 1] = last + "th"
        }
        return words
    }

    /// num2words' year reading: 1066 → ten sixty six, 1905 → nineteen oh five,
    /// 2005 → two thousand and five, 1900 → nineteen hundred.
    static func year(_ value: Int) -> [String] {
        let high = value / 100, low = value % 100
        if high == 0 || (high % 10 == 0 && low < 10) || high >= 100 {
            return cardinal(value)
        }
        let lowWords: [String] = low == 0 ? ["hundred"] : (low < 10 ? ["oh"] + cardinal(low) : cardinal(low))
        return cardinal(high) + lowWords
    }

    /// num2words on a Python float: integer part, "point", then each decimal digit, with
    /// trailing zeros dropped (as `repr(float)` drops them); a whole value (`2.0`) reads as
    /// a cardinal, since num2words checks `int(value) == value` first.
    static func decimal(integer: Substring, fraction: Substring) -> [String] {
        var fractionDigits = fraction
        while fractionDigits.last == "0" { fractionDigits = fractionDigits.dropLast() }
        if fractionDigits.isEmpty { return cardinal(integer) }
        return cardinal(integer) + ["point"] + fractionDigits.map { ones[$0.wholeNumberValue ?? 0] }
    }
}
