import Foundation

/// misaki's Japanese word list (`ja_words.txt`, one surface per line), which decides how
/// MeCab's tokens are grouped into words: the unit of spacing and of kana context
/// (は+もう → `βamoː`, さん+が → `saŋɡa`).
struct JapaneseWordList: Sendable {
    let words: Set<String>
    /// The longest entry, in characters: no longer run of tokens can match.
    let maxLength: Int

    init(words: Set<String>) {
        self.words = words
        maxLength = words.reduce(0) { max($0, $1.count) }
    }

    /// Loads the list. Throws ``TextError/dictionaryMissing(path:)`` when the file is absent.
    init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TextError.dictionaryMissing(path: url.path)
        }
        var set = Set<String>()
        set.reserveCapacity(150_000)
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let word = line.trimmingWhitespace()
            if !word.isEmpty { set.insert(String(word)) }
        }
        self.init(words: set)
    }

    /// misaki's grouping: from each token, the longest run of following tokens of the same
    /// class whose joined surface is a listed word becomes one word (else the token alone).
    func group(_ tokens: [JapaneseWord]) -> [JapaneseWord] {
        var out: [JapaneseWord] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let type = tokens[i].charType
            var best = i + 1
            if type != JapaneseWord.numberClass {
                var joined = ""
                var j = i
                while j < tokens.count, tokens[j].charType == type {
                    joined += tokens[j].surface
                    if joined.count > maxLength { break }
                    j += 1
                    if j > i + 1, words.contains(joined) { best = j }
                }
            }
            if best == i + 1 {
                out.append(tokens[i])
            } else {
                let run = tokens[i..<best]
                out.append(JapaneseWord(
                    surface: run.map(\.surface).joined(), reading: run.map(\.reading).joined(), charType: type,
                    original: tokens[i].original.lowerBound..<run.reduce(tokens[i].original.upperBound) { max($0, $1.original.upperBound) },
                    joinsPrevious: tokens[i].joinsPrevious))
            }
            i = best
        }
        return out
    }
}
