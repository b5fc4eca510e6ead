import Foundation

/// Japanese text after misaki's normalisation, each scalar remembering which code points of
/// the input it came from (so word ranges are reported in the user's own text).
struct NormalizedJapanese {
    var scalars: [Unicode.Scalar] = []
    /// `origin[i]`: the input code points that scalar `i` came from.
    var origin: [Range<Int>] = []

    mutating func append(_ scalar: Unicode.Scalar, from range: Range<Int>) {
        scalars.append(scalar)
        origin.append(range)
    }

    /// The input range covered by the scalars `range`.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty, range.lowerBound < origin.count else {
            let at = range.lowerBound < origin.count ? origin[range.lowerBound].lowerBound : (origin.last?.upperBound ?? 0)
            return at..<at
        }
        var lo = Int.max, hi = Int.min
        for k in range.clamped(to: 0..<origin.count) {
            lo = min(lo, origin[k].lowerBound)
            hi = max(hi, origin[k].upperBound)
        }
        return lo..<hi
    }
}

/// misaki's normalisation of Japanese text: a wave dash before a digit is read から,
/// katakana phonetic extensions (ㇰ…ㇿ) become ordinary katakana, and Unicode NFKC makes
/// full-width ASCII half-width and half-width kana full-width (！？ become ASCII, … `...`).
enum JapaneseNormalizer {
    static let phoneticExtensions: [Unicode.Scalar: Unicode.Scalar] = {
        let small = Array("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ".unicodeScalars)
        let full = Array("クシストヌハヒフヘホムラリルレロ".unicodeScalars)
        return Dictionary(uniqueKeysWithValues: zip(small, full))
    }()

    static func normalize(_ text: String) -> NormalizedJapanese {
        var out = NormalizedJapanese()
        out.scalars.reserveCapacity(text.unicodeScalars.count)
        out.origin.reserveCapacity(text.unicodeScalars.count)
        var offset = 0
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            let scalars = Array(character.unicodeScalars)
            let range = offset..<(offset + scalars.count)
            offset += scalars.count
            if scalars.count == 1, let s = scalars.first {
                // 〜 or ～ right before a digit reads "から" (9時〜17時).
                if s == "〜" || s == "～", let next = characters.first?.unicodeScalars.first,
                   next.properties.numericType == .decimal {
                    for k in "から".unicodeScalars { out.append(k, from: range) }
                    continue
                }
                if let full = phoneticExtensions[s] {
                    out.append(full, from: range)
                    continue
                }
                if isStable(s) {
                    out.append(s, from: range)
                    continue
                }
            }
            for s in String(character).precomposedStringWithCompatibilityMapping.unicodeScalars {
                // A (half-width) sound mark on its own combines with the kana before it, as
                // NFKC over the whole text would do (ｷﾞ → ギ).
                if s == "\u{3099}" || s == "\u{309A}", let previous = out.scalars.last,
                   let composed = String(scalars: [previous, s]).precomposedStringWithCanonicalMapping.unicodeScalars.first,
                   composed != previous, String(scalars: [previous, s]).precomposedStringWithCanonicalMapping.unicodeScalars.count == 1 {
                    out.scalars[out.scalars.count - 1] = composed
                    out.origin[out.origin.count - 1] = out.origin[out.origin.count - 1].lowerBound..<range.upperBound
                    continue
                }
                out.append(s, from: range)
            }
        }
        return out
    }

    /// Scalars NFKC leaves alone (the common case, skipped for speed): printable ASCII,
    /// hiragana, full-width katakana and the main CJK ideographs.
    private static func isStable(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x20...0x7E, 0x3041...0x3096, 0x30A1...0x30FA, 0x30FC, 0x4E00...0x9FFF: true
        default: false
        }
    }
}
