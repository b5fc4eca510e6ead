import Foundation
import Testing
@testable import KoeText

/// The num2words port, against num2words 0.5.14's own output (split on non-letters, as misaki does).
@Suite("Number words")
struct NumberWordsTests {
    static func words(_ text: String) -> [String] { text.split { !$0.isLetter }.map(String.init) }

    @Test(arguments: [
        (0, "zero"), (7, "seven"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
        (101, "one hundred and one"), (110, "one hundred and ten"), (999, "nine hundred and ninety-nine"),
        (1000, "one thousand"), (1001, "one thousand and one"), (1100, "one thousand, one hundred"),
        (12345, "twelve thousand, three hundred and forty-five"), (1_000_000, "one million"),
        (1_000_050, "one million and fifty"), (1_050_000, "one million, fifty thousand"), (2_000_000_000, "two billion"),
        (123_456_789, "one hundred and twenty-three million, four hundred and fifty-six thousand, seven hundred and eighty-nine"),
    ])
    func cardinal(_ value: Int, _ expected: String) {
        #expect(NumberWords.cardinal(value) == Self.words(expected))
    }

    @Test(arguments: [
        ("1", "first"), ("2", "second"), ("3", "third"), ("11", "eleventh"), ("12", "twelfth"), ("21", "twenty-first"),
        ("40", "fortieth"), ("100", "one hundredth"), ("1000", "one thousandth"), ("1000000", "one millionth"),
    ])
    func ordinal(_ digits: String, _ expected: String) {
        #expect(NumberWords.ordinal(Substring(digits)) == Self.words(expected))
    }

    @Test(arguments: [
        (1066, "ten sixty-six"), (1900, "nineteen hundred"), (1905, "nineteen oh-five"), (2000, "two thousand"),
        (2005, "two thousand and five"), (2010, "twenty ten"), (2024, "twenty twenty-four"), (1000, "one thousand"),
        (123, "one twenty-three"), (9999, "ninety-nine ninety-nine"), (1800, "eighteen hundred"), (10, "ten"),
    ])
    func year(_ value: Int, _ expected: String) {
        #expect(NumberWords.year(value) == Self.words(expected))
    }

    @Test(arguments: [
        ("3", "14", "three point one four"), ("0", "5", "zero point five"), ("2", "0", "two"),
        ("1", "850", "one point eight five"), ("12", "05", "twelve point zero five"),
    ])
    func decimal(_ integer: String, _ fraction: String, _ expected: String) {
        #expect(NumberWords.decimal(integer: Substring(integer), fraction: Substring(fraction)) == Self.words(expected))
    }

    @Test func hugeNumbersAreExactOrReadDigitByDigit() {
        #expect(NumberWords.cardinal("1000000000000000000000000000000000") == ["one", "decillion"])
        let tooLong = String(repeating: "9", count: 40)
        #expect(NumberWords.cardinal(Substring(tooLong)) == Array(repeating: "nine", count: 40))
    }
}

@Suite("Stress")
struct StressTests {
    @Test(arguments: [
        ("pYnt", -2.0, "pYnt"), ("pˈYnt", -2.0, "pYnt"), ("həlˈO", -1.0, "həlˌO"), ("ˌAˈɛm", 0.0, "Aˌɛm"),
        ("ðə", 0.5, "ðˌə"), ("wˌʌn", 1.0, "wˈʌn"), ("ju", 2.0, "jˈu"), ("ts", 2.0, "ts"), ("həlˈO", 0.5, "həlˈO"),
    ])
    func apply(_ phonemes: String, _ level: Double, _ expected: String) {
        #expect(Stress.apply(phonemes, level) == expected)
    }
}

@Suite("Lexicon parser")
struct LexiconParserTests {
    @Test func parsesStringsTablesNullsAndEscapes() throws {
        let json = #"{"a": "ɐ", "read": {"DEFAULT": "ɹˈid", "VBD": "ɹˈɛd", "NOUN": null}, "gone": null, "q\"\u00e9": "x\\y"}"#
        var parser = LexiconParser(bytes: Array(json.utf8))
        let d = try parser.parseDocument()
        #expect(d["a"] == .phonemes("ɐ"))
        var expected: [String: String?] = ["DEFAULT": "ɹˈid", "VBD": "ɹˈɛd"]
        expected["NOUN"] = .some(String?.none)
        #expect(d["read"] == .tagged(expected))
        #expect(d["gone"] == nil)
        #expect(d["q\"é"] == .phonemes("x\\y"))
    }

    @Test(arguments: ["", "[]", #"{"a": 1}"#, #"{"a": "b""#, #"{"a" "b"}"#, #"{"a": "\u12"}"#])
    func rejectsMalformed(_ json: String) {
        var parser = LexiconParser(bytes: Array(json.utf8))
        #expect(throws: LexiconParser.Failure.self) { try parser.parseDocument() }
    }

    @Test func tableReadsLikeMisakisGrownDictionary() {
        let grown = LexiconTable(["polish": .phonemes("p1"), "Polish": .phonemes("p2"), "Smith": .phonemes("s"), "cat": .phonemes("c"), "NASA": .phonemes("n")])
        #expect(grown["Cat"] == .phonemes("c"))
        #expect(grown["smith"] == .phonemes("s"))
        #expect(grown["Polish"] == .phonemes("p2") && grown["polish"] == .phonemes("p1"))
        #expect(grown["nasa"] == nil && grown["C"] == nil && grown["CAT"] == nil)
    }

    @Test func missingLexiconIsAClearError() {
        #expect(throws: TextError.lexiconMissing(path: "/nonexistent/us_gold.json")) {
            try G2P(language: .americanEnglish, lexiconDirectory: URL(fileURLWithPath: "/nonexistent"))
        }
    }
}
