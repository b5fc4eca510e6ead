import Foundation

/// Kokoro's phoneme vocabulary: one id (1…177) per symbol, read from `vocab.json`
/// (`{"vocab": {"ə": 83, …}}`, or a flat `{"ə": 83, …}`). Symbols are Unicode scalars
/// (code points), as the reference tokeniser counts them: the nasal tilde U+0303 is a
/// symbol of its own even though it combines with the letter before it.
public struct Vocabulary: Sendable {
    /// A character of the phoneme string that the model does not know.
    public struct UnknownSymbol: Sendable, Equatable, CustomStringConvertible {
        public let symbol: Unicode.Scalar
        /// Offset in the phoneme string, in Unicode code points.
        public let position: Int
        public var description: String {
            return "'\(symbol)' (U+\(String(symbol.value, radix: 16, uppercase: true))) at \(position)"
        }
    }

    public let ids: [Unicode.Scalar: Int]

    public init(ids: [Unicode.Scalar: Int]) { self.ids = ids }

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw KokoroModelError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KokoroModelError.badVocabulary(path: url.path, reason: "not a JSON object")
        }
        let table = (root["vocab"] as? [String: Any]) ?? root
        var ids: [Unicode.Scalar: Int] = [:]
        for (k, v) in table {
            guard k.unicodeScalars.count == 1, let scalar = k.unicodeScalars.first, let id = (v as? NSNumber)?.intValue, id > 0, id < KokoroNetwork.vocabularySize else {
                throw KokoroModelError.badVocabulary(path: url.path, reason: "entry \"\(k)\": \(v) is not one symbol with an id in 1...\(KokoroNetwork.vocabularySize - 1)")
            }
            ids[scalar] = id
        }
        if ids.isEmpty { throw KokoroModelError.badVocabulary(path: url.path, reason: "no symbols") }
        self.ids = ids
    }

    /// Token ids of a phoneme string; every unknown symbol is reported in one error.
    public func encode(_ phonemes: String) throws -> [Int] {
        var out = [Int](), unknown = [UnknownSymbol]()
        out.reserveCapacity(phonemes.count)
        for (i, ch) in phonemes.unicodeScalars.enumerated() {
            if let id = ids[ch] { out.append(id) } else { unknown.append(UnknownSymbol(symbol: ch, position: i)) }
        }
        if !unknown.isEmpty { throw KokoroModelError.unknownPhonemes(unknown) }
        return out
    }

    /// The same string with unknown symbols dropped (what the reference tokeniser does).
    public func filter(_ phonemes: String) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: phonemes.unicodeScalars.filter { ids[$0] != nil })
        return String(s)
    }
}
