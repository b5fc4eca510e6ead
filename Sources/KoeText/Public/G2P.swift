import Foundation
import Logging

/// The text front end for one language: text in, Kokoro phonemes and word ranges out.
///
/// English (`a`, `b`) follows misaki, Kokoro's official G2P: misaki's gold and silver
/// lexicons with its stress, capitalisation and suffix rules, numbers, abbreviations,
/// heteronyms chosen by a part-of-speech heuristic, and libespeak-ng for unknown words.
/// Japanese (`j`) follows misaki's cutlet path: MeCab with UniDic (unidic-lite), misaki's
/// word grouping and kana table, with numbers and counters read as a Japanese reader reads
/// them. Other languages use libespeak-ng with misaki's symbol mapping. Inline overrides
/// `[word](/phonemes/)` and a user lexicon take precedence over everything.
///
/// Creating a `G2P` loads the lexicons (tens of milliseconds); keep the instance and share
/// it: it is immutable and safe to use from any thread.
public final class G2P: Phonemizing {
    /// The language this instance phonemizes.
    public let language: KoeLanguage
    private let engine: any Phonemizing

    /// Creates the front end for `language`.
    /// - Parameters:
    ///   - lexiconDirectory: the folder with misaki's `us_gold.json`, `us_silver.json`,
    ///     `gb_gold.json`, `gb_silver.json` (default: ``defaultLexiconDirectory``).
    ///     For Japanese, the folder with misaki's `ja_words.txt`. Unused for other languages.
    ///   - userLexicon: an optional file of `word<TAB>phonemes` lines or a JSON object,
    ///     overriding every other pronunciation.
    /// - Throws: ``TextError/lexiconMissing(path:)`` when the English lexicons are absent,
    ///   ``TextError/dictionaryMissing(path:)`` when UniDic or misaki's Japanese word list is,
    ///   ``TextError/espeakUnavailable(reason:)`` when a non-English voice is missing.
    public init(
        language: KoeLanguage,
        lexiconDirectory: URL = G2P.defaultLexiconDirectory,
        userLexicon: URL? = nil,
        logger: Logger = Logger(label: "koe.text")
    ) throws {
        self.language = language
        let user = try userLexicon.map(UserLexicon.init(contentsOf:)) ?? UserLexicon()
        if language.isEnglish {
            let british = language == .britishEnglish
            let lexicon = try EnglishLexicon(directory: lexiconDirectory, british: british)
            let fallback = EspeakFallback(british: british)
            let espeakWorks = EspeakEngine.shared.hasVoice(for: fallback.language)
            if !espeakWorks {
                logger.warning("espeak-ng is unavailable; unknown English words will be skipped")
            }
            engine = EnglishG2P(lexicon: lexicon, fallback: espeakWorks ? fallback : nil, userLexicon: user, logger: logger)
        } else if language == .japanese {
            let tagger = try MeCabTagger(dictionary: G2P.defaultJapaneseDictionary)
            let words = try JapaneseWordList(contentsOf: lexiconDirectory.appendingPathComponent("ja_words.txt"))
            engine = JapaneseG2P(tagger: tagger, wordList: words, userLexicon: user, logger: logger)
        } else {
            engine = try EspeakPhonemizer(language: language, userLexicon: user)
        }
    }

    /// The front end for a Kokoro voice: its first letter picks the language
    /// (`af_heart` → American English) unless `language` is given.
    public convenience init(
        voice: String,
        language: KoeLanguage? = nil,
        lexiconDirectory: URL = G2P.defaultLexiconDirectory,
        userLexicon: URL? = nil,
        logger: Logger = Logger(label: "koe.text")
    ) throws {
        let resolved = try language ?? KoeLanguage.parse(voice: voice)
        try self.init(language: resolved, lexiconDirectory: lexiconDirectory, userLexicon: userLexicon, logger: logger)
    }

    public func phonemize(_ text: String) throws -> Phonemization {
        try engine.phonemize(text)
    }

    /// Phonemizes `text` with only the readings `normalization` switches on (English has
    /// them; other languages read the text as ``phonemize(_:)`` does).
    public func phonemize(_ text: String, normalization: TextNormalization) throws -> Phonemization {
        try engine.phonemize(text, normalization: normalization)
    }

    /// `$KOE_HOME/misaki`, with `KOE_HOME` defaulting to `~/.cache/koe`; this is where
    /// `scripts/provision.sh` puts misaki's lexicons.
    public static var defaultLexiconDirectory: URL {
        koeHome.appendingPathComponent("misaki", isDirectory: true)
    }

    /// UniDic 2.1.2 from unidic-lite: `$KOE_UNIDIC` if set, else `$KOE_HOME/unidic-lite/dicdir`
    /// (where `scripts/provision.sh` puts it).
    public static var defaultJapaneseDictionary: URL {
        if let path = ProcessInfo.processInfo.environment["KOE_UNIDIC"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        return koeHome.appendingPathComponent("unidic-lite/dicdir", isDirectory: true)
    }

    /// `$KOE_HOME`, default `~/.cache/koe`.
    public static var koeHome: URL {
        if let home = ProcessInfo.processInfo.environment["KOE_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache", isDirectory: true)
            .appendingPathComponent("koe", isDirectory: true)
    }
}
