import Foundation
import Testing
@testable import KoeCompute
@testable import KokoroModel

/// Bad input gets a clear error, never a crash.
struct EngineInputTests {
    @Test func unknownVoiceListsTheVoices() throws {
        let engine = try Fixtures.engine()
        #expect {
            try engine.synthesize(phonemes: "ab", voice: .named("zz_nobody"))
        } throws: { e in
            guard case KokoroModelError.unknownVoice(let v, let all)? = e as? KokoroModelError else {
                // The voice pack may report it with its own error type.
                return "\(e)".contains("zz_nobody") && "\(e)".contains("jf_alpha")
            }
            return v == "zz_nobody" && all.contains("jf_alpha")
        }
    }

    @Test func unknownSymbolsAreNamedWithTheirPositions() throws {
        let engine = try Fixtures.engine()
        do {
            _ = try engine.synthesize(phonemes: "həlˈoʊ 9 wˈɜːld😀", voice: .named("jf_alpha"))
            Issue.record("expected an error")
        } catch let KokoroModelError.unknownPhonemes(list) {
            #expect(list.map(\.position) == [7, 15])
            #expect(list.map { String($0.symbol) } == ["9", "😀"])
            #expect("\(KokoroModelError.unknownPhonemes(list))".contains("'9'"))
        }
    }

    @Test func tooManyPhonemesStatesTheLimit() throws {
        let engine = try Fixtures.engine()
        let long = String(repeating: "a", count: 511)
        #expect(throws: KokoroModelError.tooManyPhonemes(count: 511, limit: 510)) {
            try engine.synthesize(phonemes: long, voice: .named("jf_alpha"))
        }
        #expect("\(KokoroModelError.tooManyPhonemes(count: 511, limit: 510))".contains("510"))
    }

    @Test(arguments: [KokoroNetwork.speedRange.lowerBound.nextDown, KokoroNetwork.speedRange.upperBound.nextUp, .nan, .infinity, -1])
    func speedOutOfRange(_ speed: Float) throws {
        let engine = try Fixtures.engine()
        #expect {
            try engine.synthesize(phonemes: "ab", voice: .named("jf_alpha"), speed: speed)
        } throws: { error in
            guard case KokoroModelError.speedOutOfRange(let got, let range)? = error as? KokoroModelError else { return false }
            let message = "\(error)"
            return (got == speed || got.isNaN && speed.isNaN) && range == KokoroNetwork.speedRange
                && message.contains("\(speed)") && message.contains("\(range.upperBound)")
        }
    }

    @Test func emptyInputAndBadStyle() throws {
        let engine = try Fixtures.engine()
        #expect(throws: KokoroModelError.emptyInput) { try engine.synthesize(phonemes: "", voice: .named("jf_alpha")) }
        #expect(throws: KokoroModelError.badStyle(count: 3, expected: 256)) {
            try engine.synthesize(phonemes: "ab", voice: .style(Tensor(shape: [3], data: [1, 2, 3])))
        }
    }

    @Test func vocabularyMatchesTheFileAndCountsCodePoints() throws {
        let engine = try Fixtures.engine()
        #expect(engine.vocabulary.ids == Vocabulary.kokoro.ids)
        // The nasal tilde is a symbol of its own even after a vowel it combines with.
        #expect(try Vocabulary.kokoro.encode("a\u{303}") == [43, 17])
    }

    @Test func defaultVoiceIsTheFirstWithoutAfHeart() throws {
        let engine = try Fixtures.engine()
        #expect(engine.defaultVoice == engine.voices.names.first)
    }
}
