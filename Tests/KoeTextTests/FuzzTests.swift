import Foundation
import Testing
@testable import KoeText

/// A bounded, reproducible fuzz run over the normaliser and G2P: golden sentences and
/// awkward strings are mutated (inserted symbols, digits, quotes, brackets, emoji, right-to-left
/// and combining marks, control characters, deletions, duplications, splices, random bytes)
/// with a fixed seed. Every input must give phonemes in Kokoro's vocabulary with exact word
/// ranges, or `TextError.emptyText`; nothing may crash or take long.
/// `Fuzz/` holds a libFuzzer harness for open-ended runs.
@Suite("Fuzz")
struct FuzzTests {
    static let iterations = 1500

    @Test func mutatedInputs() throws {
        let english = [try Fixtures.g2p(.americanEnglish), try Fixtures.g2p(.britishEnglish)]
        var seeds = try Fixtures.golden("public_us.jsonl").map(\.text)
        seeds += ["", "a", "$", "1", "[x](/y/)", "Dr.", "U.S.", "'90s", "e.g.", "...", "555-0123", "x@y.com", "https://a.b/c"]
        var rng = SplitMix64(seed: 0x4B6F_6520_4732_50)
        let clock = ContinuousClock()
        let segmenter = TextSegmenter()
        for iteration in 0..<Self.iterations {
            let text = Self.mutate(seeds, &rng)
            let g2p = english[iteration % 2]
            let elapsed = try clock.measure {
                do {
                    let result = try g2p.phonemize(text)
                    #expect(result.phonemes.unicodeScalars.allSatisfy(KokoroVocabulary.symbols.contains), "\(text.debugDescription)")
                    WordRangeTests.checkInvariants(text, result)
                    for chunk in result.chunks(limit: 64, firstLimit: 16) {
                        #expect(chunk.phonemeCount <= 64 || chunk.words.count == 1, "\(text.debugDescription)")
                    }
                } catch TextError.emptyText {
                }
                let sentences = segmenter.clauses(in: text)
                let scalars = Array(text.unicodeScalars)
                for s in sentences { #expect(String(scalars: scalars[s.range]) == s.text) }
            }
            #expect(elapsed < .seconds(5), "\(text.debugDescription) took \(elapsed)")
        }
    }

    static let palette: [String] = [
        ".", ",", "!", "?", ";", ":", "…", "—", "–", "-", "--", "'", "\"", "“", "”", "‘", "’", "(", ")", "[", "]", "{", "}",
        "$", "£", "€", "¥", "#", "%", "&", "@", "+", "/", "\\", "*", "_", "~", "^", "|", "<", ">", "=", "`",
        "0", "7", "42", "1,000", "3.14", "-5", "1st", "2nd", "'s", "n't", "A", "I", "US", "Mr.", "p.m.", "[", "](/", "/)",
        "😀", "👩‍👩‍👧", "❤️", "\u{301}", "\u{20DD}", "\u{200B}", "\u{200D}", "\u{202E}", "\u{FEFF}", "\u{0}", "\u{7}", "\n", "\t",
        "مرحبا", "שלום", "мир", "世界", "ß", "İ", "ﬁ", "²", "٣", "Ⅻ", "\u{FFFD}", " ", "  ",
    ]

    static func mutate(_ seeds: [String], _ rng: inout SplitMix64) -> String {
        var scalars = Array(seeds[Int(rng.next() % UInt64(seeds.count))].unicodeScalars)
        for _ in 0..<(1 + Int(rng.next() % 6)) {
            let at = scalars.isEmpty ? 0 : Int(rng.next() % UInt64(scalars.count + 1))
            switch rng.next() % 7 {
            case 0, 1, 2:
                scalars.insert(contentsOf: palette[Int(rng.next() % UInt64(palette.count))].unicodeScalars, at: at)
            case 3 where !scalars.isEmpty:
                let end = min(scalars.count, at + Int(rng.next() % 8))
                scalars.removeSubrange(min(at, end)..<end)
            case 4 where !scalars.isEmpty:
                let end = min(scalars.count, at + Int(rng.next() % 12))
                scalars.insert(contentsOf: scalars[min(at, end)..<end], at: min(at, end))
            case 5:
                let other = Array(seeds[Int(rng.next() % UInt64(seeds.count))].unicodeScalars)
                scalars.insert(contentsOf: other.prefix(Int(rng.next() % 40)), at: at)
            default:
                let bytes = (0..<Int(rng.next() % 12)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                scalars.insert(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars, at: at)
            }
        }
        return String(scalars: scalars)
    }
}

/// A small, fast, seedable generator (Steele, Lea and Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
