/// Numbers: cardinals, ordinals, years, decimals, negatives, money, and digit groups of
/// phone numbers, read as misaki reads them (num2words words looked up in the lexicon).
extension EnglishLexicon {
    struct Currency {
        var major: String
        var minor: String
    }

    static let currencies: [Unicode.Scalar: Currency] = [
        "$": Currency(major: "dollar", minor: "cent"),
        "£": Currency(major: "pound", minor: "pence"),
        "€": Currency(major: "euro", minor: "cent"),
    ]
    static let ordinalSuffixes: Set<String> = ["st", "nd", "rd", "th"]
    static let numberSuffixes = ["ing", "'d", "ed", "'s", "st", "nd", "rd", "th", "s"]

    /// misaki's `is_number`: digits with `,` and `.` inside, an optional suffix
    /// (-st -nd -rd -th -s 's -ed 'd -ing) and a leading minus on the first piece of a word.
    static func isNumber(_ word: String, isHead: Bool) -> Bool {
        guard word.unicodeScalars.contains(where: \.isASCIIDigit) else { return false }
        var body = Substring(word)
        if let suffix = numberSuffixes.first(where: { word.hasSuffix($0) }) {
            body = body.dropLast(suffix.count)
        }
        for (i, s) in body.unicodeScalars.enumerated() {
            if s.isASCIIDigit || s == "," || s == "." { continue }
            if isHead && i == 0 && s == "-" { continue }
            return false
        }
        return true
    }

    /// A price has at most two decimals (`$3.333` is read as a plain decimal).
    static func isCurrencyAmount(_ word: Substring) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 1 { return true }
        if parts.count > 2 { return false }
        return parts[1].count < 3
    }

    /// misaki's `get_number`.
    func number(_ word: String, currency: Unicode.Scalar?, isHead: Bool, flags: String) -> Pronunciation? {
        var body = Substring(word)
        var suffix: String?
        if let start = word.unicodeScalars.lastIndex(where: { !(("a"..."z").contains($0) || $0 == "'") }) {
            let tail = String(word.unicodeScalars[word.unicodeScalars.index(after: start)...])
            if !tail.isEmpty { suffix = tail }
        } else {
            suffix = word
        }
        if let suffix { body = body.dropLast(suffix.count) }

        var result: [Pronunciation] = []
        if body.hasPrefix("-") {
            if let minus = lookup("minus", tag: nil, stress: nil, context: nil) { result.append(minus) }
            body = body.dropFirst()
        }
        func extend(_ words: [String], first: Bool = true) {
            for (i, w) in words.enumerated() {
                if w != "and" || flags.contains("&") {
                    if first, i == 0, words.count > 1, w == "one", flags.contains("a") {
                        result.append(("ə", 4))
                    } else if let found = lookup(w, tag: nil, stress: w == "point" ? -2 : nil, context: nil) {
                        result.append(found)
                    }
                } else if flags.contains("n"), let last = result.last {
                    result[result.count - 1] = (last.phonemes + "ən", last.rating)
                }
            }
        }
        func extendDigits(_ digits: Substring) {
            for d in digits { extend(NumberWords.cardinal(Substring(String(d))), first: false) }
        }

        let digits = String(body.filter { $0 != "," })
        if body.isASCIIDigits, let suffix, Self.ordinalSuffixes.contains(suffix) {
            extend(NumberWords.ordinal(body))
        } else if result.isEmpty, body.count == 4, currency.flatMap({ Self.currencies[$0] }) == nil,
                  body.isASCIIDigits, let year = Int(body) {
            extend(NumberWords.year(year))
        } else if !isHead, !body.contains(".") {
            let num = Substring(digits)
            guard let firstDigit = num.first else { return nil }
            if firstDigit == "0" || num.count > 3 {
                extendDigits(num)
            } else if num.count == 3, !num.hasSuffix("00") {
                extend(NumberWords.cardinal(num.prefix(1)))
                let middle = num.dropFirst().prefix(1)
                if middle == "0" {
                    if let o = lookup("O", tag: nil, stress: -2, context: nil) { result.append(o) }
                    extend(NumberWords.cardinal(num.suffix(1)), first: false)
                } else {
                    extend(NumberWords.cardinal(num.suffix(2)), first: false)
                }
            } else {
                extend(NumberWords.cardinal(num))
            }
        } else if body.filter({ $0 == "." }).count > 1 || !isHead {
            var first = true
            for part in digits.split(separator: ".", omittingEmptySubsequences: false) {
                if part.isEmpty {
                } else if part.first == "0" || (part.count != 2 && part.dropFirst().contains { $0 != "0" }) {
                    extendDigits(part)
                } else {
                    extend(NumberWords.cardinal(part), first: first)
                }
                first = false
            }
        } else if let currency, let unit = Self.currencies[currency], Self.isCurrencyAmount(Substring(digits)) {
            let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
            var pairs: [(amount: Substring, unit: String)] = []
            for (part, name) in zip(parts, [unit.major, unit.minor]) {
                pairs.append((part.isEmpty ? "0" : part, name))
            }
            if pairs.count > 1 {
                if Self.isZero(pairs[1].amount) {
                    pairs = Array(pairs.prefix(1))
                } else if Self.isZero(pairs[0].amount) {
                    pairs = Array(pairs.dropFirst())
                }
            }
            for (i, pair) in pairs.enumerated() {
                if i > 0, let and = lookup("and", tag: nil, stress: nil, context: nil) { result.append(and) }
                extend(NumberWords.cardinal(pair.amount), first: i == 0)
                let isOne = pair.amount.drop { $0 == "0" } == "1"
                if !isOne && pair.unit != "pence" {
                    if let plural = stemS(pair.unit + "s", tag: nil, stress: nil, context: nil) { result.append(plural) }
                } else if let single = lookup(pair.unit, tag: nil, stress: nil, context: nil) {
                    result.append(single)
                }
            }
        } else {
            if digits.isEmpty { return nil }
            if !digits.contains(".") {
                let isOrdinal = suffix.map { Self.ordinalSuffixes.contains($0) } ?? false
                extend(isOrdinal ? NumberWords.ordinal(Substring(digits)) : NumberWords.cardinal(Substring(digits)))
            } else if digits.hasPrefix(".") {
                extend(["point"] + digits.dropFirst().compactMap { $0.wholeNumberValue.map { NumberWords.ones[$0] } })
            } else {
                let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
                extend(NumberWords.decimal(integer: parts[0], fraction: parts.count > 1 ? parts[1] : ""))
            }
        }
        guard !result.isEmpty else { return nil }
        let joined = result.map(\.phonemes).joined(separator: " ")
        let rating = result.map(\.rating).min() ?? 3
        switch suffix {
        case "s", "'s": return suffixS(joined).map { ($0, rating) }
        case "ed", "'d": return suffixEd(joined).map { ($0, rating) }
        case "ing": return suffixIng(joined).map { ($0, rating) }
        default: return (joined, rating)
        }
    }

    private static func isZero(_ digits: Substring) -> Bool { digits.allSatisfy { $0 == "0" } }
}
