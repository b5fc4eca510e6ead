import Testing
@testable import KoeText

/// `TextNormalization`: each switch turns off its own reading and nothing else.
@Suite("Switchable readings of addresses and symbols")
struct NormalizationSwitchTests {
    static let text = "Mail ada@example.com or visit example.org for 50% off & more."
    /// misaki's "dot" inside an address, "percent", and "and" for `&`.
    static let dot = "dˌɑt", percent = "pəɹsˈɛnt"

    static func phonemes(_ normalization: TextNormalization) throws -> String {
        try Fixtures.g2p(.americanEnglish).phonemize(text, normalization: normalization).phonemes
    }

    static func count(_ needle: String, in haystack: String) -> Int {
        haystack.components(separatedBy: needle).count - 1
    }

    @Test func theDefaultIsMisakisReading() throws {
        let g2p = try Fixtures.g2p(.americanEnglish)
        #expect(try g2p.phonemize(Self.text, normalization: .default) == g2p.phonemize(Self.text))
        let all = try Self.phonemes(.default)
        #expect(Self.count(Self.dot, in: all) == 2, "\(all)")
        #expect(all.contains(Self.percent))
    }

    @Test func eachSwitchTurnsOffItsOwnReading() throws {
        let all = try Self.phonemes(.default)
        let noURLs = try Self.phonemes(TextNormalization(urls: false))
        let noEmails = try Self.phonemes(TextNormalization(emails: false))
        let noSymbols = try Self.phonemes(TextNormalization(symbols: false))
        let none = try Self.phonemes(.none)
        #expect(Self.count(Self.dot, in: noURLs) == 1 && noURLs.contains(Self.percent), "\(noURLs)")
        #expect(Self.count(Self.dot, in: noEmails) == 1 && noEmails.contains(Self.percent), "\(noEmails)")
        // Symbols off: "percent" and "and" go, the e-mail keeps its "at" and both addresses their "dot".
        #expect(!noSymbols.contains(Self.percent) && Self.count(Self.dot, in: noSymbols) == 2, "\(noSymbols)")
        #expect(noSymbols.unicodeScalars.count < all.unicodeScalars.count)
        #expect(Self.count(Self.dot, in: none) == 0 && !none.contains(Self.percent), "\(none)")
    }

    @Test func wordsKeepTheirPlaceInTheInput() throws {
        let scalars = Array(Self.text.unicodeScalars)
        for normalization in [TextNormalization.default, .none] {
            let result = try Fixtures.g2p(.americanEnglish).phonemize(Self.text, normalization: normalization)
            for word in result.words {
                #expect(String(String.UnicodeScalarView(scalars[word.start..<word.end])) == word.text)
            }
        }
    }

    @Test func otherLanguagesIgnoreTheSwitches() throws {
        let g2p = try Fixtures.g2p(.japanese)
        #expect(try g2p.phonemize("東京へ行く。", normalization: .none) == g2p.phonemize("東京へ行く。"))
    }
}
