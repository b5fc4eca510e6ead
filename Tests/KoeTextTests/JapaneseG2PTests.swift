import Foundation
import Testing
@testable import KoeText

/// The Japanese front end through MeCab and UniDic (provisioned by scripts/provision.sh).
@Suite("Japanese G2P")
struct JapaneseG2PTests {
    static func phonemes(_ text: String) throws -> String {
        try Fixtures.g2p(.japanese).phonemize(text).phonemes
    }

    /// The phonemes without spaces (misaki's spacing is a matter of grouping).
    static func joined(_ text: String) throws -> String {
        String(try phonemes(text).filter { !$0.isWhitespace })
    }

    @Test("misaki's readings, spacing and punctuation", arguments: [
        ("東京に行った。", "toːkʲoː ɲi iʔta."),
        ("おはようございます。", "ohajoː ɡoʣaimasɨ."),
        ("本当に？", "hontoː ɲi?"),
        ("「はい」と言った！", "“hai” to iʔta!"),
        ("ラーメン・ギョーザ", "ɾaːmeɴ ɡʲoːʣa"),
        ("人々", "çitobʲito"),
    ])
    func misakiReadings(_ text: String, _ expected: String) throws {
        #expect(try Self.phonemes(text) == expected)
    }

    @Test("numbers and counters as a Japanese reader says them", arguments: [
        ("3匹の猫", "saɴbʲikʲi"), ("ボールペンを5本", "ɡohoɴ"), ("鉛筆を6本", "ɾoʔpoɴ"), ("1,280円", "seɴɲiçakɯhaʨiʥɨːeɴ"),
        ("1.5倍", "iʔteŋɡobai"), ("3月5日", "saɴɡaʦɨiʦɨka"), ("1月1日", "iʨiɡaʦɨʦɨitaʨi"), ("15分", "ʥɨːɡoɸɯɴ"),
        ("三匹の犬", "saɴbʲikʲi"), ("六本の木", "ɾoʔpoɴ"), ("三十本", "saɲʥɨʔpoɴ"), ("10:30に", "ʥɨːʥisaɴʥɨʔpɯɴ"),
        ("9:00に", "kɯʥiɲi"), ("5分の1", "bɯɴnoiʨi"), ("￥2,980です", "ɲiseŋkʲɨːçakɯhaʨiʥɨːeɴdesɨ"), ("$4", "joɴdoɾɯ"), ("50%です", "ɡoʥɨːpaːsento"), ("4人", "joɲiɴ"), ("9時", "kɯʥi"), ("12巻", "ʥɨːɲikaɴ"), ("305号室", "bʲakɯɡoɡoːɕiʦɨ"),
        ("１２３４５６７８９０", "ʥɨːɲiokɯsaɴʣeɴjoɴçakɯɡoʥɨːɾokɯmannanaseɴhaʔpʲakɯkʲɨːʥɨː"),
    ])
    func numbers(_ text: String, _ fragment: String) throws {
        let got = try Self.joined(text)
        #expect(got.contains(fragment), "\(text) → \(got)")
    }

    @Test func kanjiNumbersAreReadWithTheirCounterButJuubunStays() throws {
        #expect(JapaneseG2P.kanjiValue("二十五") == 25)
        #expect(JapaneseG2P.kanjiValue("三千五百万") == 35_000_000)
        #expect(JapaneseG2P.kanjiValue("二〇二四") == 2024)
        #expect(JapaneseG2P.kanjiValue("東") == nil)
        #expect(try !Self.joined("十分です").contains("ʥɨʔpɯɴ"))  // 十分 "enough" keeps UniDic's reading
    }

    @Test func userLexiconOverridesJapaneseWords() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("koe-ja-lexicon-\(UUID().uuidString).tsv")
        try "PC\tpʲiːɕiː\nNHK\teɲɨeːʨikeː\n東京タワー\ttoːkʲoː taβaː\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let g2p = try G2P(language: .japanese, userLexicon: file)
        let text = "新しいPCで東京タワーとＮＨＫを見た。"
        let result = try g2p.phonemize(text)
        WordRangeTests.checkInvariants(text, result)
        #expect(result.phonemes == "ataɾaɕiː pʲiːɕiː de toːkʲoː taβaː to eɲɨeːʨikeː o mʲita.")
        #expect(result.words.map(\.text).contains("東京タワー") && result.words.map(\.text).contains("ＮＨＫ"))
    }

    @Test func inlinePronunciationsAreWordsOfTheirOwn() throws {
        let text = "[Koe](/koe/)で[東京](/tokʲo/)に3本。"
        let result = try Fixtures.g2p(.japanese).phonemize(text)
        WordRangeTests.checkInvariants(text, result)
        #expect(result.phonemes == "koe de tokʲo ɲi saɴ boɴ.")
        #expect(result.words.map(\.text).prefix(3) == ["Koe", "で", "東京"])
    }

    @Test func familyWordsAfterTheHonorificO() throws {
        #expect(try Self.phonemes("お父さんとお母さん") == "otoːsaɴ to okaːsaɴ")
    }

    @Test func latinLettersAndWidths() throws {
        #expect(try Self.phonemes("AIの技術") == "AI no ɡʲiʥɨʦɨ")
        #expect(try Self.phonemes("ＡＩの技術") == "AI no ɡʲiʥɨʦɨ")  // full-width letters made ASCII
        #expect(try Self.joined("ｶﾞｷﾞ") == "ɡaɡʲi")                  // half-width kana made full-width
        // Kokoro has no symbol for most capitals: they are dropped (as Kokoro drops them).
        #expect(try Self.phonemes("PCを買う") == "o kaɯ")
    }

    @Test func bracketsKokoroLacksAreDropped() throws {
        let ps = try Self.phonemes("金曜日（3月8日）の正午【注意】")
        #expect(!ps.contains("«") && !ps.contains("[") && !ps.contains("("))
        #expect(ps.contains("saɴ ɡaʦɨ joːka"))
    }

    @Test func wordsKeepTheOriginalSpellingAndOrder() throws {
        let text = "2024年3月5日、ＮＨＫで１,２８０円の本を3冊買った。"
        let result = try Fixtures.g2p(.japanese).phonemize(text)
        WordRangeTests.checkInvariants(text, result)
        let words = result.words.map(\.text)
        #expect(words.contains("2024年") && words.contains("3月") && words.contains("5日") && words.contains("3冊"))
        #expect(words.contains("１,２８０円"))
    }

    @Test(arguments: [
        "😀😀😀", "𠮷野家で食べた", "ンァ、ンゥ、ーァ", "ゃゅょ", "1234567890123456789012345678901234567890", "\u{0}\u{7}テスト\u{1F}",
        "Ω≈ç√∫˜µ≤≥÷", "👩‍👩‍👧🚀 家族", "ｱｲｳｴｵﾞﾟ", "〜〜〜〜", "。。。、、、", "々々々", "゙゚", "０.５", "3.14.15", "1,2,3,4",
        "Wi-Fiとhttps://example.com", "\u{202E}逆\u{202C}", String(repeating: "あ", count: 3000), String(repeating: "本", count: 2000),
    ])
    func oddInputNeverCrashes(_ text: String) throws {
        do {
            let result = try Fixtures.g2p(.japanese).phonemize(text)
            WordRangeTests.checkInvariants(text, result)
            #expect(result.phonemes.unicodeScalars.allSatisfy(KokoroVocabulary.symbols.contains))
        } catch TextError.emptyText {
            // Nothing speakable (emoji alone): a clear error.
        }
    }

    @Test func randomUnicodeNeverCrashes() throws {
        var generator = SystemRandomNumberGenerator()
        let ranges: [ClosedRange<UInt32>] = [0x20...0x7E, 0x3000...0x30FF, 0x4E00...0x9FFF, 0xFF00...0xFFEF, 0x1F300...0x1F6FF, 0x0300...0x036F, 0x20000...0x2A6DF]
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...40, using: &generator) {
                let range = ranges.randomElement(using: &generator)!
                if let s = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { scalars.append(s) }
            }
            let text = String(scalars)
            do {
                let result = try Fixtures.g2p(.japanese).phonemize(text)
                WordRangeTests.checkInvariants(text, result)
            } catch TextError.emptyText {
            }
        }
    }

    @Test func emptyAndSilentTextIsAClearError() throws {
        for text in ["", "  \n", "😀", "𠮷"] {
            #expect(throws: TextError.emptyText) { try Fixtures.g2p(.japanese).phonemize(text) }
        }
    }

    @Test func missingDictionaryIsAClearError() {
        #expect(throws: TextError.dictionaryMissing(path: "/nonexistent/dicdir")) {
            try MeCabTagger(dictionary: URL(fileURLWithPath: "/nonexistent/dicdir"))
        }
    }

    @Test func sentencesAndClausesWithoutSpaces() {
        let segmenter = TextSegmenter()
        let text = "今日は晴れ。明日は雨！本当？「はい。」と彼は答えた。"
        #expect(segmenter.sentences(in: text).map(\.text) == ["今日は晴れ。", "明日は雨！", "本当？", "「はい。」と彼は答えた。"])
        #expect(segmenter.clauses(in: "雨が降って、風も強い。").map(\.text) == ["雨が降って、", "風も強い。"])
    }

    @Test func longTextChunksBelowTheLimitBetweenWords() throws {
        let text = String(repeating: "昨日の夜、友達と駅前のラーメン屋に行きました。", count: 30)
        let result = try Fixtures.g2p(.japanese).phonemize(text)
        let chunks = result.chunks()
        #expect(chunks.count > 1)
        for chunk in chunks {
            #expect(chunk.phonemeCount <= Phonemization.kokoroLimit)
            #expect(chunk.phonemes.hasSuffix(".") || chunk.phonemes.hasSuffix(","))
        }
    }
}
