import Foundation
import Testing
@testable import KoeText

/// The acceptance metric on misaki's Japanese golden set (`../shared/g2p/ja/public_ja.jsonl`),
/// the deliberate differences counted as errors.
@Suite("Japanese golden score")
struct JapaneseGoldenTests {
    struct Line: Decodable {
        var text: String
        var phonemes: String
    }

    @Test func publicSet() throws {
        let url = Fixtures.sharedG2P.appendingPathComponent("ja/public_ja.jsonl")
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing \(url.path)")
        let g2p = try Fixtures.g2p(.japanese)
        var errors = 0, total = 0, wordMatches = 0, words = 0
        for row in data.split(separator: UInt8(ascii: "\n")) {
            let line = try JSONDecoder().decode(Line.self, from: Data(row))
            let result = try g2p.phonemize(line.text)
            WordRangeTests.checkInvariants(line.text, result)
            let gold = line.phonemes.unicodeScalars.filter { !$0.properties.isWhitespace }
            let pred = result.phonemes.unicodeScalars.filter { !$0.properties.isWhitespace }
            errors += Metrics.levenshtein(Array(gold), Array(pred))
            total += gold.count
            let goldWords = Metrics.words(line.phonemes), predWords = Metrics.words(result.phonemes)
            wordMatches += Metrics.alignedMatches(goldWords, predWords)
            words += goldWords.count
        }
        let per = Double(errors) / Double(total), wordAccuracy = Double(wordMatches) / Double(words)
        #expect(per <= 0.015, "phoneme error rate \(per)")
        #expect(wordAccuracy >= 0.95, "word exact match \(wordAccuracy)")
    }
}
