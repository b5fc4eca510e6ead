import Foundation
import Testing
@testable import KoeText

/// Front ends and golden data, loaded once per test process. The English lexicons come
/// from the provisioning step (`scripts/provision.sh` puts them in `$KOE_HOME/misaki`);
/// when they are missing the tests fail and say so, they never skip.
enum Fixtures {
    static let american = Result { try loadEnglish(.americanEnglish) }
    static let british = Result { try loadEnglish(.britishEnglish) }
    /// Japanese needs UniDic and misaki's word list from the provisioning step.
    static let japanese = Result { try G2P(language: .japanese) }

    static func g2p(_ language: KoeLanguage) throws -> G2P {
        switch language {
        case .americanEnglish: try american.get()
        case .britishEnglish: try british.get()
        case .japanese: try japanese.get()
        default: try G2P(language: language)
        }
    }

    static func phonemes(_ text: String, _ language: KoeLanguage = .americanEnglish) throws -> String {
        try g2p(language).phonemize(text).phonemes
    }

    private static func loadEnglish(_ language: KoeLanguage) throws -> G2P {
        let directory = G2P.defaultLexiconDirectory
        for name in ["us_gold", "us_silver", "gb_gold", "gb_silver"] {
            let path = directory.appendingPathComponent("\(name).json").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw FixtureError("misaki lexicon \(path) is missing: run scripts/provision.sh (or set KOE_HOME)")
            }
        }
        return try G2P(language: language, lexiconDirectory: directory)
    }

    /// `../shared/g2p` next to the repository: misaki's golden phonemes and the scorer.
    static let sharedG2P: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/g2p", isDirectory: true)

    struct GoldenSentence: Decodable {
        var id: String
        var category: String?
        var text: String
        var phonemes: String
        var quirks: [String]
    }

    static func golden(_ name: String) throws -> [GoldenSentence] {
        let url = sharedG2P.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FixtureError("golden file \(url.path) is missing (the shared materials live in ../shared)")
        }
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(GoldenSentence.self, from: Data($0)) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
