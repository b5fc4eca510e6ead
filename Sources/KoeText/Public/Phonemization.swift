/// One word of the input text with the phonemes it produced.
///
/// `start` and `end` are offsets into the **original** input text counted in Unicode
/// code points (end exclusive), so a caller can map timestamps back to the user's own text
/// even when the text contained inline overrides or was normalised internally.
/// `phonemeRange` locates `phonemes` inside ``Phonemization/phonemes``, counted in Unicode
/// scalars, which is also the unit of Kokoro's token ids (one symbol = one scalar = one token).
public struct PhonemizedWord: Sendable, Codable, Equatable {
    /// The word as written in the input (the code points `start..<end`).
    public var text: String
    /// Offset of the first code point of the word in the original input.
    public var start: Int
    /// Offset one past the last code point of the word in the original input.
    public var end: Int
    /// The word's phonemes; may be empty for words Kokoro does not pronounce (e.g. `*`).
    public var phonemes: String
    /// Where `phonemes` sits inside ``Phonemization/phonemes``, in Unicode scalars:
    /// `Array(phonemization.phonemes.unicodeScalars)[phonemeRange]` equals `phonemes`.
    public var phonemeRange: Range<Int>

    public init(text: String, start: Int, end: Int, phonemes: String, phonemeRange: Range<Int>) {
        self.text = text
        self.start = start
        self.end = end
        self.phonemes = phonemes
        self.phonemeRange = phonemeRange
    }
}

/// The phonemes of a text in Kokoro's vocabulary, with the words they came from.
///
/// `phonemes` is built exactly like Kokoro's `KPipeline` does from misaki's tokens: each
/// token's phonemes followed by one space when the token was followed by whitespace in the
/// text, leading and trailing spaces removed. Punctuation that Kokoro voices as pauses
/// (`; : , . ! ? — … “ ” ( )`) appears in `phonemes` but belongs to no word; every other
/// scalar of `phonemes` that is not a space belongs to exactly one word's `phonemeRange`.
public struct Phonemization: Sendable, Equatable {
    /// The phoneme string to hand to the model.
    public var phonemes: String
    /// The words, in text order, with their ranges in the input and in `phonemes`.
    public var words: [PhonemizedWord]

    public init(phonemes: String, words: [PhonemizedWord]) {
        self.phonemes = phonemes
        self.words = words
    }

    /// Number of Unicode scalars (= Kokoro tokens) in `phonemes`.
    public var phonemeCount: Int { phonemes.unicodeScalars.count }
}

/// A text front end: turns text into phonemes for one language.
public protocol Phonemizing: Sendable {
    /// Phonemizes `text`. Throws ``TextError/emptyText`` when the text has nothing to say.
    func phonemize(_ text: String) throws -> Phonemization
    /// Phonemizes `text` with only the readings `normalization` switches on.
    func phonemize(_ text: String, normalization: TextNormalization) throws -> Phonemization
}

extension Phonemizing {
    /// For front ends without switchable readings: the text as ``phonemize(_:)`` reads it.
    public func phonemize(_ text: String, normalization: TextNormalization) throws -> Phonemization {
        try phonemize(text)
    }
}
