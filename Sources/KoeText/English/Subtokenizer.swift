/// Cuts a token into the pieces misaki looks up: leading/trailing apostrophes, camelCase
/// boundaries, digit runs (with `,`/`.` inside), runs of `-`/`_`, letter runs with inner
/// apostrophes, and any other single character. This follows misaki's sub-token regular
/// expression alternative by alternative, scanned by hand to stay linear.
enum Subtokenizer {
    /// The pieces of `s` as ranges into it; characters no alternative accepts are dropped.
    static func split(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var p = 0
        let n = s.count
        while p < n {
            if let end = match(s, at: p) {
                pieces.append(p..<end)
                p = end
            } else {
                p += 1
            }
        }
        return pieces
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c.properties.numericType == .decimal }
    private static func isSeparator(_ c: Unicode.Scalar) -> Bool { c == "," || c == "." }

    private static func match(_ s: [Unicode.Scalar], at p: Int) -> Int? {
        let n = s.count
        let c = s[p]
        // ^['‘’]+
        if p == 0, c.isApostrophe {
            var e = p
            while e < n, s[e].isApostrophe { e += 1 }
            return e
        }
        // \p{Lu}(?=\p{Lu}\p{Ll})
        if c.isUppercaseLetter, p + 2 < n, s[p + 1].isUppercaseLetter, s[p + 2].isLowercaseLetter {
            return p + 1
        }
        // (?:^-)?(?:\d?[,.]?\d)+
        if let end = digitRun(s, from: p == 0 && c == "-" ? p + 1 : p) { return end }
        if p == 0, c == "-", let end = digitRun(s, from: p) { return end }
        // [-_]+
        if c == "-" || c == "_" {
            var e = p
            while e < n, s[e] == "-" || s[e] == "_" { e += 1 }
            return e
        }
        // ['‘’]{2,}
        if c.isApostrophe, p + 1 < n, s[p + 1].isApostrophe {
            var e = p
            while e < n, s[e].isApostrophe { e += 1 }
            return e
        }
        if c.isLetter {
            // \p{L}*?(?:['‘’]\p{L})*?\p{Ll}(?=\p{Lu})  (camelCase: "iPhone" → "i")
            var k = p
            while k < n, s[k].isLetter {
                if s[k].isLowercaseLetter, k + 1 < n, s[k + 1].isUppercaseLetter { return k + 1 }
                k += 1
            }
            // \p{L}+(?:['‘’]\p{L})*
            var e = p
            while e < n, s[e].isLetter { e += 1 }
            while e + 1 < n, s[e].isApostrophe, s[e + 1].isLetter { e += 2 }
            return e
        }
        // [^-_\p{L}'‘’\d]
        if !c.isApostrophe, !isDigit(c) { return p + 1 }
        // ['‘’]+$
        if c.isApostrophe {
            var e = p
            while e < n, s[e].isApostrophe { e += 1 }
            if e == n { return e }
        }
        return nil
    }

    /// `(?:\d?[,.]?\d)+` from `start`: each unit is digit-separator-digit, digit-digit,
    /// separator-digit or digit, tried in that order; returns the end, or nil for no unit.
    private static func digitRun(_ s: [Unicode.Scalar], from start: Int) -> Int? {
        let n = s.count
        var e = start
        var matched = false
        while e < n {
            if isDigit(s[e]), e + 2 < n, isSeparator(s[e + 1]), isDigit(s[e + 2]) {
                e += 3
            } else if isDigit(s[e]), e + 1 < n, isDigit(s[e + 1]) {
                e += 2
            } else if isSeparator(s[e]), e + 1 < n, isDigit(s[e + 1]) {
                e += 2
            } else if isDigit(s[e]) {
                e += 1
            } else {
                break
            }
            matched = true
        }
        return matched ? e : nil
    }
}
