import Testing
@testable import KoeText

/// The kana rules, one by one, on readings (no tagger involved).
@Suite("Japanese kana")
struct JapaneseKanaTests {
    @Test("ん takes the place of the next sound", arguments: [
        ("さんま", "samma"), ("さんぽ", "sampo"), ("こんばん", "kombaɴ"),     // m before m p b
        ("かんき", "kaŋkʲi"), ("まんが", "maŋɡa"),                           // ŋ before k ɡ
        ("こんにちは", "koɲɲiʨiha"), ("かんじ", "kaɲʥi"), ("ほんち", "hoɲʨi"), // ɲ before ɲ ʥ ʨ
        ("あんない", "annai"), ("ほんと", "honto"), ("でんでん", "dendeɴ"), ("かんらん", "kanɾaɴ"), ("ふんずけ", "ɸɯnzɨke"), // n
        ("かんざし", "kaɴʣaɕi"), ("ほんや", "hoɴja"), ("きんえん", "kʲiɴeɴ"), ("せんせい", "seɴsei"), ("ほん", "hoɴ"),    // ɴ
        ("ほんわか", "hoɴβaka"), ("ぜんぶ", "ʣembɯ"), ("あんー", "aɴː"), ("あんっ", "aɴʔ"),
    ])
    func moraicNasal(_ reading: String, _ expected: String) {
        #expect(KanaPhonemes.phonemes(reading) == expected)
    }

    @Test("っ is a glottal stop, ー a long mark", arguments: [
        ("きって", "kʲiʔte"), ("がっこう", "ɡaʔkoɯ"), ("あっ", "aʔ"), ("らーめん", "ɾaːmeɴ"), ("こーひー", "koːçiː"),
    ])
    func sokuonAndLongVowel(_ reading: String, _ expected: String) {
        #expect(KanaPhonemes.phonemes(reading) == expected)
    }

    @Test("small kana join the kana before them", arguments: [
        ("きゃく", "kʲakɯ"), ("しゅくだい", "ɕɨkɯdai"), ("ちぇっく", "ʨeʔkɯ"), ("てぃー", "tʲiː"), ("ふぁいる", "ɸaiɾɯ"),
        ("ゔぁいおりん", "vaioɾʲiɴ"), ("くぁ", "kᵝa"), ("うぃ", "βi"), ("しぃ", "ɕi"), ("にょ", "ɲo"), ("りゅう", "ɾʲɨɯ"),
    ])
    func smallKana(_ reading: String, _ expected: String) {
        #expect(KanaPhonemes.phonemes(reading) == expected)
    }

    @Test("small kana with nothing to join read full-size; misaki raised here", arguments: [
        ("ぁ", "a"), ("んゃ", "ɴja"), ("んぁ", "ɴa"), ("ーぃ", "ːi"), ("っゃ", "ʔja"),
    ])
    func orphanSmallKana(_ reading: String, _ expected: String) {
        #expect(KanaPhonemes.phonemes(reading) == expected)
    }

    @Test func iterationMarksAndKatakana() {
        #expect(KanaPhonemes.phonemes("こゝろ") == "kokoɾo")
        #expect(KanaPhonemes.phonemes("すゞ") == "sɨzɨ")
        #expect(KanaPhonemes.phonemes("ひと々") == "çito")
        #expect(KanaPhonemes.hiragana("ティーヴァヽ") == "てぃーゔぁゝ")
        #expect(KanaPhonemes.phonemes("漢字") == "")  // not kana: nothing, never a crash
    }

    @Test("numbers read in kana", arguments: [
        ("0", "ぜろ"), ("7", "なな"), ("10", "じゅー"), ("15", "じゅーご"), ("300", "さんびゃく"), ("600", "ろっぴゃく"),
        ("800", "はっぴゃく"), ("3000", "さんぜん"), ("8000", "はっせん"), ("1000", "せん"), ("2024", "にせんにじゅーよん"),
        ("10000", "いちまん"), ("11000", "いちまんいっせん"), ("100000000", "いちおく"), ("007", "なな"),
        ("1234567890123", "いっちょーにせんさんびゃくよんじゅーごおくろくせんななひゃくはちじゅーきゅーまんひゃくにじゅーさん"),
    ])
    func numbers(_ digits: String, _ expected: String) {
        #expect(JapaneseNumbers.elements(Substring(digits)).joined() == expected)
    }

    @Test func misakiKanaStopsAtNineDigitsAndVeryLongNumbersGoDigitByDigit() {
        #expect(JapaneseNumbers.misakiKana("999999999") != nil)
        #expect(JapaneseNumbers.misakiKana("1234567890") == nil)
        #expect(JapaneseNumbers.misakiKana("90") == "きゅうじゅう")
        let long = String(repeating: "12", count: 15)
        #expect(JapaneseNumbers.elements(Substring(long)).count == 30)
        #expect(JapaneseNumbers.decimalElements(integer: "1", fraction: "5").joined() == "いってんご")
        #expect(JapaneseNumbers.decimalElements(integer: "0", fraction: "25").joined() == "れーてんにご")
    }

    @Test("counters change the sounds", arguments: [
        ("1", "本", "いっぽん"), ("2", "本", "にほん"), ("3", "本", "さんぼん"), ("4", "本", "よんほん"), ("6", "本", "ろっぽん"),
        ("8", "本", "はっぽん"), ("10", "本", "じゅっぽん"), ("100", "本", "ひゃっぽん"), ("1000", "本", "せんぼん"),
        ("3", "匹", "さんびき"), ("1", "杯", "いっぱい"), ("3", "分", "さんぷん"), ("4", "分", "よんぷん"), ("6", "分", "ろっぷん"),
        ("15", "分", "じゅーごふん"), ("1", "回", "いっかい"), ("3", "階", "さんがい"), ("6", "個", "ろっこ"), ("1", "冊", "いっさつ"),
        ("3", "足", "さんぞく"), ("8", "歳", "はっさい"), ("20", "歳", "はたち"), ("1", "頭", "いっとー"), ("10", "点", "じゅってん"),
        ("1", "人", "ひとり"), ("2", "人", "ふたり"), ("4", "人", "よにん"), ("14", "人", "じゅーよにん"), ("3", "人", "さんにん"),
        ("4", "時", "よじ"), ("9", "時", "くじ"), ("7", "時", "しちじ"), ("4", "月", "しがつ"), ("9", "月", "くがつ"),
        ("3", "月", "さんがつ"), ("5", "日", "いつか"), ("8", "日", "よーか"), ("20", "日", "はつか"), ("24", "日", "にじゅーよっか"),
        ("15", "日", "じゅーごにち"), ("4", "年", "よねん"), ("2024", "年", "にせんにじゅーよねん"), ("1", "つ", "ひとつ"),
        ("3", "ヶ月", "さんかげつ"), ("6", "ヶ月", "ろっかげつ"), ("12", "巻", "じゅーにかん"),
    ])
    func counters(_ digits: String, _ key: String, _ expected: String) throws {
        let counter = try #require(JapaneseCounter.table[key])
        let readings = counter.readings(elements: JapaneseNumbers.elements(Substring(digits)), value: Int(digits),
                                        dateAfterMonth: false, key: key)
        #expect(readings.first == expected)
    }

    @Test func theFirstOfTheMonthIsTsuitachi() throws {
        let day = try #require(JapaneseCounter.table["日"])
        #expect(day.readings(elements: ["いち"], value: 1, dateAfterMonth: true, key: "日") == ["ついたち"])
        #expect(day.readings(elements: ["いち"], value: 1, dateAfterMonth: false, key: "日") == ["いちにち"])
    }
}
