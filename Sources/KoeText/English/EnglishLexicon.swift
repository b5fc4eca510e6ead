import Foundation

/// misaki's gold and silver dictionaries for one accent, loaded once and never mutated.
///
/// misaki "grows" each dictionary at load: lowercase keys also get a Capitalized copy and
/// Capitalized keys a lowercase copy (existing keys win). ``LexiconTable`` answers the
/// same questions at lookup time instead, which keeps loading to a single parse.
/// Gold (hand-checked, rating 4) is tried before silver (rating 3).
final class EnglishLexicon: Sendable {
    let british: Bool
    let gold: LexiconTable
    let silver: LexiconTable
    /// An upper bound of the longest key, in code points.
    let maxKeyLength: Int

    init(gold: [String: LexiconEntry], silver: [String: LexiconEntry], british: Bool) {
        self.gold = LexiconTable(gold)
        self.silver = LexiconTable(silver)
        self.british = british
        // UTF-8 length bounds the code-point length and is O(1) to read.
        var longest = 0
        for key in gold.keys { longest = max(longest, key.utf8.count) }
        for key in silver.keys { longest = max(longest, key.utf8.count) }
        maxKeyLength = longest
    }

    /// Loads `{us|gb}_gold.json` and `{us|gb}_silver.json` from `directory`.
    convenience init(directory: URL, british: Bool) throws {
        let prefix = british ? "gb" : "us"
        let gold = try Self.load(directory.appendingPathComponent("\(prefix)_gold.json"))
        let silver = try Self.load(directory.appendingPathComponent("\(prefix)_silver.json"))
        self.init(gold: gold, silver: silver, british: british)
    }

    static func load(_ url: URL) throws -> [String: LexiconEntry] {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TextError.lexiconMissing(path: url.path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TextError.lexiconMalformed(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        var parser = LexiconParser(bytes: [UInt8](data))
        do {
            return try parser.parseDocument()
        } catch {
            throw TextError.lexiconMalformed(path: url.path, reason: "\(error.reason) at byte \(error.offset)")
        }
    }

    /// The plain gold phonemes of a word, for the few entries the rules read directly.
    func goldPhonemes(_ word: String, tag: String = "DEFAULT") -> String? {
        switch gold[word] {
        case .phonemes(let p): return p
        case .tagged(let table): return table[tag] ?? table["DEFAULT"] ?? nil
        case nil: return nil
        }
    }
}

/// One lexicon, read as misaki's grown dictionary: a key that is absent may still be found
/// through its lowercase form (for `Smith`-style capitalized keys) or through its
/// Capitalized form (for lowercase keys whose only entry is capitalized).
struct LexiconTable: Sendable {
    let entries: [String: LexiconEntry]

    init(_ entries: [String: LexiconEntry]) {
        self.entries = entries
    }

    subscript(key: String) -> LexiconEntry? {
        if let entry = entries[key] { return entry }
        // Only keys of two or more code points were grown.
        var scalars = key.unicodeScalars.makeIterator()
        guard scalars.next() != nil, scalars.next() != nil else { return nil }
        let lower = key.lowercased()
        if key == lower {
            // A lowercase key: the copy of a Capitalized entry.
            let capital = key.capitalized1
            guard capital != key, let entry = entries[capital], capital == capital.lowercased().capitalized1 else { return nil }
            return entry
        }
        // A Capitalized key: the copy of a lowercase entry.
        guard key == lower.capitalized1 else { return nil }
        return entries[lower]
    }
}
