import Foundation
import Testing
@testable import KoeText

/// Bad input gives phonemes or a clear error, never a crash or a hang; time stays linear.
@Suite("Robustness")
struct RobustnessTests {
    @Test(arguments: ["", "   ", "\n\t ", "\u{0}\u{1}\u{7F}", "\u{200B}\u{FEFF}"])
    func emptyTextIsAnError(_ text: String) throws {
        #expect(throws: TextError.emptyText) { try Fixtures.g2p(.americanEnglish).phonemize(text) }
    }

    @Test(arguments: [
        "Hello\u{0}world\u{7}!", "I ❤️ Swift 👩‍👩‍👧 🚀🚀", "Hello мир 世界 مرحبا שלום!", "‏مرحبا بالعالم‏ and hello",
        "\u{202E}reversed\u{202C} text", "a\u{301}\u{302}\u{303} e\u{20DD}", "[[[[[]]]]]((((", "$$$ £€ #1 @@ %%% &&&",
        "----- ..... ,,,,, !!!?? ……", "'''' \"\"\" “”‘’", "1e10 0x1F 1.2.3.4 1,2,3 -0.0 --5 .5. 3/4/5",
        String(repeating: "9", count: 400), "U.S.A.B.C.D.E.F.G.H.", "\u{FFFD}\u{FFFD}", "Mr. Dr. St. Jr. etc.",
    ])
    func oddInputNeverCrashes(_ text: String) throws {
        for language in [KoeLanguage.americanEnglish, .britishEnglish] {
            do {
                let result = try Fixtures.g2p(language).phonemize(text)
                WordRangeTests.checkInvariants(text, result)
                #expect(result.phonemes.unicodeScalars.allSatisfy(KokoroVocabulary.symbols.contains))
            } catch TextError.emptyText {
                // Acceptable for input with nothing to speak.
            }
        }
    }

    @Test func oneMegabyteWithoutAFullStopIsLinear() throws {
        let g2p = try Fixtures.g2p(.americanEnglish)
        let unit = "the council voted 7 to 2 on tuesday and nobody read the record, "
        let small = String(repeating: unit, count: 500)
        let large = String(repeating: unit, count: 16_000)  // about 1 MB
        let clock = ContinuousClock()
        var smallResult: Phonemization?
        let smallTime = clock.measure { smallResult = try? g2p.phonemize(small) }
        var largeResult: Phonemization?
        let largeTime = clock.measure { largeResult = try? g2p.phonemize(large) }
        #expect(smallResult != nil && largeResult != nil)
        #expect(largeResult?.words.count == 16_000 * 13)
        // 32 times the text may take at most ~4x longer than linear (generous for shared CI machines).
        #expect(largeTime < smallTime * 32 * 4 + .seconds(2), "small \(smallTime), large \(largeTime)")
    }

    @Test func longRunsWithoutSpacesAreBounded() throws {
        let g2p = try Fixtures.g2p(.americanEnglish)
        let clock = ContinuousClock()
        for text in [String(repeating: "a", count: 100_000), String(repeating: "ab-", count: 30_000),
                     String(repeating: "1", count: 50_000), String(repeating: "x.", count: 40_000)] {
            let elapsed = clock.measure { _ = try? g2p.phonemize(text) }
            #expect(elapsed < .seconds(60), "\(text.prefix(8))… took \(elapsed)")
        }
    }
}
