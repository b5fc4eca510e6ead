/// One output unit before assembly: a word or a punctuation mark, its phonemes, its range
/// in the working text and whether whitespace follows it.
struct OutputUnit {
    var range: Range<Int>
    var phonemes: String
    var whitespace: Bool
    var isPunctuation: Bool
}

/// Joins output units into Kokoro's phoneme string and the word list.
///
/// The rule is Kokoro's `KPipeline`: each unit's phonemes, then one space if whitespace
/// followed it in the text (never two spaces in a row), leading and trailing spaces dropped.
/// Punctuation belongs to no word. Silent units (a `$` before an amount, a `#`) join the
/// word they are attached to, so that word's range covers them; silent units standing
/// alone are dropped.
enum PhonemeAssembler {
    static func assemble(_ units: [OutputUnit], prepared: PreparedText, source: [Unicode.Scalar]) -> Phonemization {
        var out: [Unicode.Scalar] = []
        var words: [PhonemizedWord] = []
        var pendingStart: Int?
        var previousWasAttachedWord = false

        for unit in units {
            let phonemes = KokoroVocabulary.filter(unit.phonemes)
            if unit.isPunctuation && !phonemes.isEmpty {
                out.append(contentsOf: phonemes.unicodeScalars)
                pendingStart = nil
                previousWasAttachedWord = false
            } else if phonemes.isEmpty {
                // Silent: attach to the following word, or else to the preceding one.
                if !unit.whitespace {
                    pendingStart = pendingStart ?? unit.range.lowerBound
                } else if previousWasAttachedWord, var last = words.popLast() {
                    let original = prepared.originalRange(unit.range)
                    last.end = max(last.end, original.upperBound)
                    last.text = String(scalars: source[last.start..<last.end])
                    words.append(last)
                    pendingStart = nil
                } else {
                    pendingStart = nil
                }
                previousWasAttachedWord = previousWasAttachedWord && !unit.whitespace
            } else {
                let start = pendingStart ?? unit.range.lowerBound
                let original = prepared.originalRange(start..<unit.range.upperBound)
                let from = out.count
                out.append(contentsOf: phonemes.unicodeScalars)
                words.append(PhonemizedWord(
                    text: String(scalars: source[original]), start: original.lowerBound, end: original.upperBound,
                    phonemes: phonemes, phonemeRange: from..<out.count))
                pendingStart = nil
                previousWasAttachedWord = !unit.whitespace
            }
            if unit.whitespace, !out.isEmpty, out.last != " " {
                out.append(" ")
            }
        }
        while out.last == " " { out.removeLast() }
        return Phonemization(phonemes: String(scalars: out), words: words)
    }
}
