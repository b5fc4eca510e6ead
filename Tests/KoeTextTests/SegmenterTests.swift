import Testing
@testable import KoeText

@Suite("Segmentation")
struct SegmenterTests {
    let segmenter = TextSegmenter()

    @Test(arguments: [
        ("Dr. Smith arrived at 3.30 p.m. He left.", ["Dr. Smith arrived at 3.30 p.m.", "He left."]),
        ("It costs $4.75. Pay now! Really? Yes…", ["It costs $4.75.", "Pay now!", "Really?", "Yes…"]),
        ("\"Wait!\" she said. \"Stop.\" He did.", ["\"Wait!\" she said.", "\"Stop.\"", "He did."]),
        ("J. K. Rowling wrote it, e.g. in 1997. Then more.", ["J. K. Rowling wrote it, e.g. in 1997.", "Then more."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("Bring snacks, drinks, etc. The party starts soon.", ["Bring snacks, drinks, etc.", "The party starts soon."]),
        ("He lives in the U.S. now.", ["He lives in the U.S. now."]),
    ])
    func sentences(_ text: String, _ expected: [String]) {
        let found = segmenter.sentences(in: text)
        #expect(found.map(\.text) == expected)
        let scalars = Array(text.unicodeScalars)
        for segment in found {
            #expect(String(scalars: scalars[segment.range]) == segment.text)
        }
    }

    @Test func clauses() {
        let found = segmenter.clauses(in: "First, we wait; then — at 9:30 — we go (quietly). Done, 40,000 times.")
        #expect(found.map(\.text) == ["First,", "we wait;", "then —", "at 9:30 —", "we go (quietly).", "Done,", "40,000 times."])
        #expect(found.map(\.endsSentence) == [false, false, false, false, true, false, true])
    }

    @Test func linearOnHugeTextWithoutStops() {
        let text = String(repeating: "word and more words ", count: 50_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = segmenter.clauses(in: text) }
        #expect(elapsed < .seconds(5))
    }
}

@Suite("Chunks")
struct ChunkTests {
    @Test func cutsAtSentenceThenClauseThenWord() throws {
        let g2p = try Fixtures.g2p(.americanEnglish)
        let text = String(repeating: "The quick brown fox jumps over the lazy dog, and then it rests. ", count: 20)
        let whole = try g2p.phonemize(text)
        let chunks = whole.chunks(limit: 200, firstLimit: 60)
        #expect(chunks.count > 1)
        #expect(chunks[0].phonemeCount <= 60)
        for chunk in chunks {
            #expect(chunk.phonemeCount <= 200)
            WordRangeTests.checkInvariants(text, chunk)
        }
        // Every word appears exactly once, in order.
        #expect(chunks.flatMap(\.words).map(\.start) == whole.words.map(\.start))
        // Later chunks end at a sentence stop (the text has one every ~65 phonemes).
        for chunk in chunks.dropFirst().dropLast() { #expect(chunk.phonemes.hasSuffix(".")) }
        // The short first chunk prefers the clause comma.
        #expect(chunks[0].phonemes.hasSuffix(","))
    }

    @Test func aShortFirstWindowNeverCutsAWord() throws {
        let g2p = try Fixtures.g2p(.americanEnglish)
        let text = "Supercalifragilisticexpialidocious-antidisestablishmentarianism-pneumonoultramicroscopicsilicovolcanoconiosis is long. Then more words follow here."
        let whole = try g2p.phonemize(text)
        #expect(whole.words[0].phonemes.unicodeScalars.count > 40)
        let chunks = whole.chunks(limit: 510, firstLimit: 40)
        // The first word does not fit the short window: the first chunk takes it whole.
        #expect(chunks.flatMap(\.words).map(\.start) == whole.words.map(\.start))
        #expect(chunks[0].words[0].phonemes == whole.words[0].phonemes)
    }

    @Test func shortTextIsOneChunk() throws {
        let result = try Fixtures.g2p(.americanEnglish).phonemize("Hello there.")
        #expect(result.chunks() == [result])
    }
}
