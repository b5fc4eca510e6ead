import Foundation
import Logging

/// Japanese text → Kokoro phonemes, following misaki's default (cutlet) path: misaki's
/// normalisation, MeCab with UniDic for readings, misaki's word grouping, kana by kana into
/// Kokoro's symbols, misaki's spacing; numbers with counters, digit groups and decimals
/// read as a Japanese reader reads them (see the README's list of differences).
final class JapaneseG2P: Phonemizing {
    let tagger: MeCabTagger
    let wordList: JapaneseWordList
    let userLexicon: UserLexicon
    let logger: Logger

    init(tagger: MeCabTagger, wordList: JapaneseWordList, userLexicon: UserLexicon = UserLexicon(), logger: Logger) {
        self.tagger = tagger
        self.wordList = wordList
        self.userLexicon = userLexicon
        self.logger = logger
    }

    func phonemize(_ text: String) throws -> Phonemization {
        try TextError.requireContent(text)
        // Inline pronunciations `[word](/phonemes/)` are words of their own; the text between
        // them is tagged piece by piece.
        let prepared = PreparedText(text)
        var read: [JapaneseWord] = []
        var cursor = 0
        for span in prepared.overrides {
            guard case .phonemes(let phonemes) = span.override, span.range.lowerBound >= cursor else { continue }
            read += tagged(prepared, cursor..<span.range.lowerBound)
            read.append(JapaneseWord(surface: String(scalars: prepared.scalars[span.range]), reading: "", charType: JapaneseWord.numberClass,
                                     original: prepared.originalRange(span.range), phonemes: phonemes))
            cursor = span.range.upperBound
        }
        read += tagged(prepared, cursor..<prepared.scalars.count)
        let source = Array(text.unicodeScalars)
        let words = applyUserLexicon(wordList.group(read), source: source)
        let units = words.map { word in
            JapaneseUnit(phonemes: Self.phonemes(of: word), surface: word.surface, original: word.original,
                         joinsPrevious: word.joinsPrevious)
        }
        let result = JapaneseAssembler.assemble(units, source: source)
        guard !result.phonemes.isEmpty else { throw TextError.emptyText }
        return result
    }

    /// Normalises, tags and reads the working text `range` (numbers, counters, readings).
    private func tagged(_ prepared: PreparedText, _ range: Range<Int>) -> [JapaneseWord] {
        guard !range.isEmpty else { return [] }
        var normalized = JapaneseNormalizer.normalize(String(scalars: prepared.scalars[range]))
        normalized.origin = normalized.origin.map {
            prepared.originalRange(($0.lowerBound + range.lowerBound)..<($0.upperBound + range.lowerBound))
        }
        let input = TaggerInput(normalized)
        var read = Self.readKanjiNumerals(Self.readNumbers(tagger.tokenize(String(scalars: input.scalars)), input: input))
        JapaneseReadings.fix(&read)
        return read
    }

    /// The user lexicon's pronunciations, for the longest run of up to six words whose text
    /// (as written, or normalised: ＮＨＫ as NHK) is an entry (`PC`, `東京タワー`).
    func applyUserLexicon(_ words: [JapaneseWord], source: [Unicode.Scalar]) -> [JapaneseWord] {
        guard !userLexicon.isEmpty else { return words }
        var out: [JapaneseWord] = []
        var i = 0
        while i < words.count {
            var matched = false
            for n in stride(from: min(6, words.count - i), through: 1, by: -1) {
                let range = words[i].original.lowerBound..<words[i + n - 1].original.upperBound
                guard range.lowerBound < range.upperBound, range.upperBound <= source.count,
                      let phonemes = userLexicon.phonemes(for: String(scalars: source[range]))
                        ?? userLexicon.phonemes(for: words[i..<(i + n)].map(\.surface).joined()) else { continue }
                out.append(JapaneseWord(surface: String(scalars: source[range]), reading: "", charType: JapaneseWord.numberClass,
                                        original: range, phonemes: phonemes, joinsPrevious: words[i].joinsPrevious))
                i += n
                matched = true
                break
            }
            if !matched {
                out.append(words[i])
                i += 1
            }
        }
        return out
    }

    /// misaki's class of a token: 6 (read it as kana) for dictionary words and katakana,
    /// MeCab's own character class for other unknown words.
    static func word(_ token: MeCabToken, input: TaggerInput) -> JapaneseWord {
        var original = token.range.lowerBound < input.origin.count ? input.origin[token.range.lowerBound] : 0..<0
        for k in token.range.clamped(to: 0..<input.origin.count) {
            original = min(original.lowerBound, input.origin[k].lowerBound)..<max(original.upperBound, input.origin[k].upperBound)
        }
        let reading = KanaPhonemes.hiragana(token.pron ?? token.kana ?? token.surface)
        let charType = token.charType == 7 || !token.isUnknown ? 6 : token.charType
        return JapaneseWord(surface: token.surface, reading: reading, charType: charType, original: original)
    }

    /// The phonemes of one (grouped) word, as misaki maps it.
    static func phonemes(of word: JapaneseWord) -> String {
        if let fixed = word.phonemes { return fixed }
        if word.surface.unicodeScalars.allSatisfy(\.isASCII) { return JapaneseLatin.phonemes(word.surface) }
        switch word.charType {
        case 3:  // unknown symbols: through the symbol table, the rest kept (Kokoro drops it)
            return String(word.surface.map { JapaneseSymbols.table[$0] ?? String($0) }.joined())
        case 6, JapaneseWord.isolatedNumberClass:
            return KanaPhonemes.phonemes(word.reading)
        default:
            // Unknown kanji, emoji, non-ASCII letters: misaki says nothing for them.
            return ""
        }
    }
}

/// Japanese punctuation as misaki writes it.
enum JapaneseSymbols {
    static let table: [Character: String] = [
        "。": ".", "、": ",", "？": "?", "！": "!", "「": "“", "」": "”", "『": "“", "』": "”", "：": ":", "；": ";",
        "（": "(", "）": ")", "《": "(", "》": ")", "【": "[", "】": "]", "・": " ", "，": ",", "～": "—", "〜": "—",
        "—": "—", "«": "“", "»": "”", "\u{309A}": "", "\u{3099}": "",
    ]
}
