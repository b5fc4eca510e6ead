import Testing
@testable import KoeText

/// Every word must map exactly back to the user's text and to its slice of the phoneme
/// string; everything else in the phoneme string is spaces or voiced punctuation.
@Suite("Word ranges")
struct WordRangeTests {
    static let punctuation: Set<Unicode.Scalar> = Set(";:,.!?—…\"“”()".unicodeScalars)

    static func checkInvariants(_ text: String, _ result: Phonemization, sourceLocation: SourceLocation = #_sourceLocation) {
        let source = Array(text.unicodeScalars)
        let phonemes = Array(result.phonemes.unicodeScalars)
        var owned = [Bool](repeating: false, count: phonemes.count)
        var lastEnd = 0, lastPhonemeEnd = 0
        for word in result.words {
            #expect(word.start >= lastEnd && word.start < word.end && word.end <= source.count, "\(word)", sourceLocation: sourceLocation)
            #expect(String(scalars: source[word.start..<min(word.end, source.count)]) == word.text, sourceLocation: sourceLocation)
            #expect(word.phonemeRange.lowerBound >= lastPhonemeEnd && word.phonemeRange.upperBound <= phonemes.count,
                    sourceLocation: sourceLocation)
            #expect(String(scalars: phonemes[word.phonemeRange]) == word.phonemes, sourceLocation: sourceLocation)
            for k in word.phonemeRange { owned[k] = true }
            lastEnd = word.end
            lastPhonemeEnd = word.phonemeRange.upperBound
        }
        for (k, s) in phonemes.enumerated() where !owned[k] {
            #expect(s == " " || punctuation.contains(s), "unowned phoneme \(s) at \(k) in \(result.phonemes)", sourceLocation: sourceLocation)
        }
        #expect(phonemes.first != " " && phonemes.last != " " && !result.phonemes.contains("  "), sourceLocation: sourceLocation)
    }

    @Test("invariants hold on every golden sentence", arguments: [KoeLanguage.americanEnglish, .britishEnglish])
    func golden(_ language: KoeLanguage) throws {
        let g2p = try Fixtures.g2p(language)
        let file = language == .americanEnglish ? "public_us.jsonl" : "public_gb.jsonl"
        for sentence in try Fixtures.golden(file) {
            Self.checkInvariants(sentence.text, try g2p.phonemize(sentence.text))
        }
    }

    @Test func rangesAreCodePointsOfTheOriginalText() throws {
        let text = "😀 Héllo, [Kokoro](/kˈOkəɹO/) costs $4.75!"
        let result = try Fixtures.g2p(.americanEnglish).phonemize(text)
        Self.checkInvariants(text, result)
        let words = result.words.map { [$0.text, "\($0.start)", "\($0.end)"] }
        #expect(words.contains(["Héllo", "2", "7"]))
        // The override's word is the link text inside the brackets.
        #expect(words.contains(["Kokoro", "10", "16"]))
        // The currency sign joins its amount.
        #expect(words.contains(["$4.75", "35", "40"]))
        let kokoro = try #require(result.words.first { $0.text == "Kokoro" })
        #expect(kokoro.phonemes == "kˈOkəɹO")
    }

    @Test func punctuationBelongsToNoWord() throws {
        let result = try Fixtures.g2p(.americanEnglish).phonemize("\"Wait!\" she said.")
        #expect(result.phonemes == "“wˈAt!” ʃi sˈɛd.")
        #expect(result.words.map(\.phonemes) == ["wˈAt", "ʃi", "sˈɛd"])
        #expect(result.words.map(\.phonemeRange) == [1..<5, 8..<10, 11..<15])
    }

    @Test func numberWordsStayOneWord() throws {
        let result = try Fixtures.g2p(.americanEnglish).phonemize("Call 555-0123 now.")
        #expect(result.words.map(\.text) == ["Call", "555-0123", "now"])
        #expect(result.words[1].phonemes == "fˈIv hˈʌndɹəd fˈɪfti fˈIvwˌʌn twˌɛnti θɹˌi")
    }

    @Test(arguments: [KoeLanguage.french, .spanish, .italian, .portuguese, .hindi])
    func otherLanguages(_ language: KoeLanguage) throws {
        let text = ["f": "Bonjour, je m'appelle Marie. J'ai 25 ans.", "e": "Hola, ¿cómo estás? Tengo 1998 razones.",
                    "i": "Ciao, come stai?", "p": "Olá, tudo bem com você?", "h": "नमस्ते, आप कैसे हैं?"][language.rawValue]!
        Self.checkInvariants(text, try Fixtures.g2p(language).phonemize(text))
    }
}
