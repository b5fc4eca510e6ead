/// One word after grouping: its phonemes and where it came from.
struct JapaneseUnit {
    var phonemes: String
    var surface: String
    var original: Range<Int>
    var joinsPrevious = false
}

/// Joins Japanese words with misaki's spacing and records each word's phonemes.
///
/// misaki puts a space after every word, except: an opening quote or bracket (and a word
/// that says nothing) takes the space before it and none after; a closing quote or
/// `] ) . , ? ! :` takes none before it. Whitespace runs collapse, `( )` become `« »`, and
/// spaces next to `ʔ` go (a word-final っ joins the next word). Symbols outside Kokoro's
/// vocabulary are dropped, as Kokoro drops them.
enum JapaneseAssembler {
    static let pauses: Set<Unicode.Scalar> = [".", ",", "?", "!", ":", ";", "—", "…", "“", "”", "«", "»", "(", ")", "[", "]", "\""]

    static func assemble(_ units: [JapaneseUnit], source: [Unicode.Scalar]) -> Phonemization {
        // Spacing flags, as misaki sets them.
        var spaced = [Bool](repeating: false, count: units.count)
        for (k, unit) in units.enumerated() {
            let roma = unit.phonemes
            if ["「", "『", "«"].contains(unit.surface) || roma.isEmpty || roma == "(" || roma == "[" || roma == "([" {
                if k > 0 { spaced[k - 1] = true }
            } else if ["」", "』", "»"].contains(unit.surface) || (!roma.isEmpty && "]).,?!:".contains(roma)) {
                if k > 0 { spaced[k - 1] = false }
                spaced[k] = true
            } else if roma == " " {
                spaced[k] = false
            } else {
                spaced[k] = true
            }
        }
        // The string as (scalar, owning unit) pairs; nil owner for spaces.
        var out: [(scalar: Unicode.Scalar, owner: Int?)] = []
        for (k, unit) in units.enumerated() {
            for s in unit.phonemes.unicodeScalars {
                if s.properties.isWhitespace {
                    if out.last.map({ $0.owner != nil }) ?? false { out.append((" ", nil)) }
                } else {
                    out.append((s == "(" ? "«" : s == ")" ? "»" : s, k))
                }
            }
            if spaced[k], out.last.map({ $0.owner != nil }) ?? false { out.append((" ", nil)) }
        }
        while out.last?.owner == nil, !out.isEmpty { out.removeLast() }
        // Spaces next to ʔ: before it unless punctuation precedes, after it unless an opening quote follows.
        var joined: [(scalar: Unicode.Scalar, owner: Int?)] = []
        for (k, item) in out.enumerated() {
            if item.owner == nil {
                let before = joined.last?.scalar
                let after = k + 1 < out.count ? out[k + 1].scalar : nil
                if after == "ʔ", let before, !"!\",.:;?»—…”".unicodeScalars.contains(before) { continue }
                if before == "ʔ", let after, !"\"«“".unicodeScalars.contains(after) { continue }
            }
            joined.append(item)
        }
        // Kokoro's vocabulary only (it drops « » [ ] and most capitals).
        var phonemes: [Unicode.Scalar] = []
        var ranges: [Int: Range<Int>] = [:]
        for item in joined {
            guard item.scalar == " " || KokoroVocabulary.symbols.contains(item.scalar) else { continue }
            if item.scalar == " ", phonemes.last == " " || phonemes.isEmpty { continue }
            if let owner = item.owner, !pauses.contains(item.scalar) {
                let at = phonemes.count
                ranges[owner] = (ranges[owner]?.lowerBound ?? at)..<(at + 1)
            }
            phonemes.append(item.scalar)
        }
        while phonemes.last == " " { phonemes.removeLast() }
        return Phonemization(phonemes: String(scalars: phonemes), words: words(units, ranges: ranges, phonemes: phonemes, source: source))
    }

    /// One word per unit that says something; units whose input ranges overlap or that
    /// belong to the one before (the pieces of a number, its counter) become one word.
    private static func words(_ units: [JapaneseUnit], ranges: [Int: Range<Int>], phonemes: [Unicode.Scalar], source: [Unicode.Scalar]) -> [PhonemizedWord] {
        var words: [PhonemizedWord] = []
        for k in units.indices {
            guard let range = ranges[k] else { continue }
            let original = units[k].original.clamped(to: 0..<source.count)
            if var last = words.last, original.lowerBound < last.end || (units[k].joinsPrevious && original.lowerBound >= last.end) {
                last.end = max(last.end, original.upperBound)
                last.phonemeRange = last.phonemeRange.lowerBound..<range.upperBound
                last.text = String(scalars: source[last.start..<last.end])
                last.phonemes = String(scalars: phonemes[last.phonemeRange])
                words[words.count - 1] = last
                continue
            }
            words.append(PhonemizedWord(
                text: String(scalars: source[original]), start: original.lowerBound, end: original.upperBound,
                phonemes: String(scalars: phonemes[range]), phonemeRange: range))
        }
        return words
    }
}
