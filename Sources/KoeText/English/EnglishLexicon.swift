import Foundation

/// misaki's gold and silver dictionaries for one accent, loaded once and never mutated.
///
/// At load, lowercase keys also get a Capitalized copy and Capitalized keys a lowercase
/// copy (existing keys win), as misaki's `grow_dictionary` does. Gold (hand-checked,
/// rating 4) is tried before silver (rating 3).
final class EnglishLexicon: Sendable {
    let british: Bool
    let gold: [String: LexiconEntry]
    let silver: [String: LexiconEntry]

    init(gold: [String: LexiconEntry], silver: [String: LexiconEntry], british: Bool) {
        self.gold = Self.grow(gold)
        self.silver = Self.grow(silver)
        self.british = british
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

    /// Adds Capitalized copies of lowercase keys and lowercase copies of Capitalized keys.
    static func grow(_ dictionary: [String: LexiconEntry]) -> [String: LexiconEntry] {
        var grown = dictionary
        for (key, value) in dictionary where key.scalarCount >= 2 {
            let lower = key.lowercased()
            if key == lower {
                let capital = key.capitalized1
                if capital != key, dictionary[capital] == nil { grown[capital] = value }
            } else if key == lower.capitalized1, dictionary[lower] == nil {
                grown[lower] = value
            }
        }
        return grown
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
