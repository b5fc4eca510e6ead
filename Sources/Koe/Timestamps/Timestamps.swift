/// When one word of the input is spoken, in the audio actually returned.
public struct WordTimestamp: Sendable, Codable, Equatable {
    /// The word as the user wrote it ("$100" stays "$100").
    public var text: String
    /// Seconds from the start of the utterance.
    public var start: Double
    public var end: Double
    /// Offsets into the input text in Unicode code points, end exclusive.
    public var charStart: Int
    public var charEnd: Int

    public init(text: String, start: Double, end: Double, charStart: Int, charEnd: Int) {
        self.text = text
        self.start = start
        self.end = end
        self.charStart = charStart
        self.charEnd = charEnd
    }
}

/// When one sentence of the input is spoken.
public struct SentenceTimestamp: Sendable, Codable, Equatable {
    public var text: String
    public var start: Double
    public var end: Double
    public var charStart: Int
    public var charEnd: Int
    /// Indices into the utterance's word list.
    public var words: Range<Int>

    public init(text: String, start: Double, end: Double, charStart: Int, charEnd: Int, words: Range<Int>) {
        self.text = text
        self.start = start
        self.end = end
        self.charStart = charStart
        self.charEnd = charEnd
        self.words = words
    }
}

extension String {
    /// The substring between two Unicode code-point offsets (clamped).
    func codePoints(_ start: Int, _ end: Int) -> String {
        let scalars = unicodeScalars
        let n = scalars.count
        let s = max(0, min(start, n)), e = max(s, min(end, n))
        let a = scalars.index(scalars.startIndex, offsetBy: s)
        let b = scalars.index(a, offsetBy: e - s)
        return String(scalars[a..<b])
    }
}
