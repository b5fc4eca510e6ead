import Testing
@testable import KoeText

/// A regression guard on the acceptance metric: phoneme error rate and word exact match
/// against misaki's golden phonemes (`../shared/g2p/score.py` computes the same numbers).
@Suite("Golden scores")
struct GoldenScoreTests {
    @Test(arguments: [KoeLanguage.americanEnglish, .britishEnglish])
    func publicSet(_ language: KoeLanguage) throws {
        let g2p = try Fixtures.g2p(language)
        let file = language == .americanEnglish ? "public_us.jsonl" : "public_gb.jsonl"
        var errors = 0, total = 0, wordMatches = 0, words = 0
        for sentence in try Fixtures.golden(file) {
            let predicted = try g2p.phonemize(sentence.text).phonemes
            let gold = sentence.phonemes.unicodeScalars.filter { !$0.properties.isWhitespace }
            let pred = predicted.unicodeScalars.filter { !$0.properties.isWhitespace }
            errors += Metrics.levenshtein(Array(gold), Array(pred))
            total += gold.count
            let goldWords = Metrics.words(sentence.phonemes), predWords = Metrics.words(predicted)
            wordMatches += Metrics.alignedMatches(goldWords, predWords)
            words += goldWords.count
        }
        let per = Double(errors) / Double(total), wordAccuracy = Double(wordMatches) / Double(words)
        #expect(per <= 0.02, "phoneme error rate \(per)")
        #expect(wordAccuracy >= 0.95, "word exact match \(wordAccuracy)")
    }
}

enum Metrics {
    static func levenshtein<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    static let edge = Set(";:,.!?—…\"“”()«»'‘’-–[]{}".unicodeScalars)

    static func words(_ phonemes: String) -> [String] {
        phonemes.split(whereSeparator: \.isWhitespace).compactMap { piece in
            let scalars = Array(piece.unicodeScalars)
            guard let lo = scalars.firstIndex(where: { !edge.contains($0) }),
                  let hi = scalars.lastIndex(where: { !edge.contains($0) }) else { return nil }
            return String(scalars: scalars[lo...hi])
        }
    }

    /// Matches of a minimum-edit alignment of two word lists.
    static func alignedMatches(_ a: [String], _ b: [String]) -> Int {
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in stride(from: 1, through: a.count, by: 1) {
            for j in stride(from: 1, through: b.count, by: 1) {
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
        }
        var i = a.count, j = b.count, matches = 0
        while i > 0 && j > 0 {
            if a[i - 1] == b[j - 1] && d[i][j] == d[i - 1][j - 1] {
                matches += 1; i -= 1; j -= 1
            } else if d[i][j] == d[i - 1][j - 1] + 1 {
                i -= 1; j -= 1
            } else if d[i][j] == d[i - 1][j] + 1 {
                i -= 1
            } else {
                j -= 1
            }
        }
        return matches
    }
}
