// Small character-class helpers. misaki is written in Python; these give the same answers
// as Python's `str.isalpha`, `str.lower`, ... for the words the lexicon deals with.

extension Unicode.Scalar {
    var isLetter: Bool {
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
        default: false
        }
    }
    var isUppercaseLetter: Bool { properties.generalCategory == .uppercaseLetter }
    var isLowercaseLetter: Bool { properties.generalCategory == .lowercaseLetter }
    var isASCIIDigit: Bool { value >= 0x30 && value <= 0x39 }
    var isASCIILetter: Bool { (value | 0x20) >= 0x61 && (value | 0x20) <= 0x7A }
    /// Python's `str.isdigit` for one character (decimal digits, superscripts, ...).
    var isUnicodeDigit: Bool {
        switch properties.numericType {
        case .decimal, .digit: true
        default: false
        }
    }
    var isWhitespaceLike: Bool {
        properties.isWhitespace || properties.generalCategory == .control
            || properties.generalCategory == .format && value != 0x200D
    }
    /// Apostrophes misaki treats as one: ' ‘ ’.
    var isApostrophe: Bool { value == 0x27 || value == 0x2018 || value == 0x2019 }
}

extension StringProtocol {
    /// Python `str.isalpha()`: non-empty and letters only.
    var isAlpha: Bool { !isEmpty && unicodeScalars.allSatisfy(\.isLetter) }
    /// Python `s == s.lower()`.
    var isLowercase: Bool { String(self) == lowercased() }
    /// Python `s == s.upper()`.
    var isUppercase: Bool { String(self) == uppercased() }
    /// All scalars are ASCII digits (misaki's `is_digit`), and there is at least one.
    var isASCIIDigits: Bool { !isEmpty && unicodeScalars.allSatisfy(\.isASCIIDigit) }
    /// Length in Unicode code points, as Python's `len`.
    var scalarCount: Int { unicodeScalars.count }
    /// Python `str.capitalize()`: first character upper-cased, the rest lower-cased.
    var capitalized1: String {
        guard let first = unicodeScalars.first else { return "" }
        if utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(utf8)
            for i in bytes.indices {
                let b = bytes[i]
                if i == 0 { if b >= 0x61 && b <= 0x7A { bytes[i] = b - 32 } } else if b >= 0x41 && b <= 0x5A { bytes[i] = b + 32 }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(first).uppercased() + String(scalars: unicodeScalars.dropFirst()).lowercased()
    }
    /// Everything after the first code point (Python `s[1:]`).
    var droppingFirstScalar: String { String(scalars: unicodeScalars.dropFirst()) }

    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> Substring {
        let text = Substring(self)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return Substring(scalars[first...last])
    }
}

extension String {
    /// Curly apostrophes (‘ ’) replaced by the straight one, as misaki does before lookup.
    var straightApostrophes: String {
        guard unicodeScalars.contains(where: { $0 == "\u{2018}" || $0 == "\u{2019}" }) else { return self }
        return String(scalars: unicodeScalars.map { $0 == "\u{2018}" || $0 == "\u{2019}" ? "'" : $0 })
    }

    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.init(view)
    }

    /// Drops the last `n` code points.
    func droppingLastScalars(_ n: Int) -> String {
        String(scalars: unicodeScalars.dropLast(n))
    }

    func hasScalarSuffix(_ suffix: String) -> Bool { hasSuffix(suffix) && unicodeScalars.count >= suffix.unicodeScalars.count }
}
