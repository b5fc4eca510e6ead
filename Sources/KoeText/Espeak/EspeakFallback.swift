/// Punctuation-preserving phonemization with espeak-ng, as the `phonemizer` package does
/// for misaki: the text is cut at punctuation marks, each piece is phonemized, and the marks
/// are put back between the pieces' phonemes (`St.` → `sənt.`, `9:30` → `nˈIn:θˈɜɹTi`).
extension EspeakEngine {
    static let punctuationMarks: Set<Unicode.Scalar> = Set(";:,.!?¡¿—…\"«»“”(){}[]".unicodeScalars)

    func phonemesPreservingPunctuation(_ text: String, language: String) throws -> String {
        let scalars = Array(text.unicodeScalars)
        var out = ""
        var i = 0
        while i < scalars.count {
            // A mark run is `(\s*[marks]+\s*)+`: marks with the spaces around them.
            var j = i
            var sawMark = false
            var k = i
            while k < scalars.count {
                var m = k
                while m < scalars.count, scalars[m].properties.isWhitespace { m += 1 }
                var n = m
                while n < scalars.count, Self.punctuationMarks.contains(scalars[n]) { n += 1 }
                guard n > m else { break }
                while n < scalars.count, scalars[n].properties.isWhitespace { n += 1 }
                sawMark = true
                k = n
                j = n
            }
            if sawMark {
                out += String(scalars: scalars[i..<j])
                i = j
                continue
            }
            // A text piece runs to the next mark run.
            var end = i
            while end < scalars.count {
                if Self.punctuationMarks.contains(scalars[end]) {
                    var back = end
                    while back > i, scalars[back - 1].properties.isWhitespace { back -= 1 }
                    end = back
                    break
                }
                end += 1
            }
            if end == i { end = i + 1 }
            let piece = String(scalars: scalars[i..<end])
            out += Self.cleanLine(try phonemes(piece, language: language))
            i = end
        }
        return String(out.trimmingWhitespace())
    }

    /// phonemizer's line clean-up: one line, single spaces, no stray separators, no
    /// language-switch flags such as `(fr)`.
    static func cleanLine(_ line: String) -> String {
        var scalars: [Unicode.Scalar] = []
        var inFlag = false
        for s in line.unicodeScalars {
            if s == "(" { inFlag = true; continue }
            if inFlag { if s == ")" { inFlag = false }; continue }
            if s == "_" { continue }
            let c: Unicode.Scalar = s == "\n" ? " " : s
            if c == " ", scalars.last == " " { continue }
            scalars.append(c)
        }
        return String(String(scalars: scalars).trimmingWhitespace())
    }
}

/// misaki's `EspeakFallback`: espeak-ng for English words the lexicons do not know,
/// with espeak's IPA mapped to Kokoro's symbols (diphthongs as capitals, r-colouring
/// as `əɹ`, flaps as `T`, ...).
struct EspeakFallback: Sendable {
    let british: Bool
    let engine: EspeakEngine

    /// Longest keys first, as misaki sorts them.
    static let mapping: [(String, String)] = [
        ("ʔˌn\u{0329}", "ʔn"), ("ʔn\u{0329}", "ʔn"),
        ("a^ɪ", "I"), ("a^ʊ", "W"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"), ("ə^l", "ᵊl"),
        ("ʲo", "jo"), ("ʲə", "jə"),
        ("e", "A"), ("ʲ", ""), ("ɚ", "əɹ"), ("r", "ɹ"), ("x", "k"), ("ç", "k"), ("ɐ", "ə"), ("ɬ", "l"), ("\u{0303}", ""),
    ]

    init(british: Bool, engine: EspeakEngine = .shared) {
        self.british = british
        self.engine = engine
    }

    var language: String { british ? "en-gb" : "en-us" }

    /// The phonemes of `text` in Kokoro's symbols, or nil if espeak-ng is unavailable.
    func phonemes(for text: String) -> String? {
        guard let ipa = try? engine.phonemesPreservingPunctuation(text, language: language) else { return nil }
        return map(ipa)
    }

    func map(_ ipa: String) -> String {
        var ps = ipa
        for (old, new) in Self.mapping { ps = ps.replacingOccurrences(of: old, with: new) }
        ps = Self.moveSyllabicMarks(ps)
        if british {
            ps = ps.replacingOccurrences(of: "e^ə", with: "ɛː")
                .replacingOccurrences(of: "iə", with: "ɪə")
                .replacingOccurrences(of: "ə^ʊ", with: "Q")
        } else {
            ps = ps.replacingOccurrences(of: "o^ʊ", with: "O")
                .replacingOccurrences(of: "ɜːɹ", with: "ɜɹ")
                .replacingOccurrences(of: "ɜː", with: "ɜɹ")
                .replacingOccurrences(of: "ɪə", with: "iə")
                .replacingOccurrences(of: "ː", with: "")
        }
        return ps.replacingOccurrences(of: "o", with: "ɔ")
            .replacingOccurrences(of: "ɾ", with: "T")
            .replacingOccurrences(of: "ʔ", with: "t")
            .replacingOccurrences(of: "^", with: "")
    }

    /// `X̩` (syllabic X) becomes `ᵊX`.
    static func moveSyllabicMarks(_ ps: String) -> String {
        let syllabic: Unicode.Scalar = "\u{0329}"
        guard ps.unicodeScalars.contains(syllabic) else { return ps }
        var out: [Unicode.Scalar] = []
        for s in ps.unicodeScalars {
            if s == syllabic {
                if let last = out.last, !last.properties.isWhitespace {
                    out.removeLast()
                    out.append("ᵊ")
                    out.append(last)
                }
            } else {
                out.append(s)
            }
        }
        return String(scalars: out)
    }
}
