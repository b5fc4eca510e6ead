import Foundation
import Testing
@testable import Koe

struct CaptionFormatTests {
    static let text = "Hello, world! It costs $100 today."
    static let words = [
        WordTimestamp(text: "Hello", start: 0.1, end: 0.45, charStart: 0, charEnd: 5),
        WordTimestamp(text: "world", start: 0.5, end: 0.9, charStart: 7, charEnd: 12),
        WordTimestamp(text: "It", start: 1.4, end: 1.5, charStart: 14, charEnd: 16),
        WordTimestamp(text: "costs", start: 1.5, end: 1.8, charStart: 17, charEnd: 22),
        WordTimestamp(text: "$100", start: 1.8, end: 2.6, charStart: 23, charEnd: 27),
        WordTimestamp(text: "today", start: 2.6, end: 3.0, charStart: 28, charEnd: 33),
    ]
    static let sentences = [
        SentenceTimestamp(text: "Hello, world!", start: 0.1, end: 0.9, charStart: 0, charEnd: 13, words: 0..<2),
        SentenceTimestamp(text: "It costs $100 today.", start: 1.4, end: 3.0, charStart: 14, charEnd: 34, words: 2..<6),
    ]

    @Test func srtCuesFollowSentencesAndKeepTheOriginalSpelling() {
        let srt = CaptionWriter.render(.srt, text: Self.text, words: Self.words, sentences: Self.sentences)
        #expect(srt == """
        1
        00:00:00,100 --> 00:00:00,900
        Hello, world!

        2
        00:00:01,400 --> 00:00:03,000
        It costs $100 today.

        """)
    }

    @Test func quotesAndHyphensStayWithTheirWords() {
        let text = "\"Nothing lasts,\" he said, \"but well-known lights do.\""
        let spans: [(String, Int, Int)] = [("Nothing", 1, 8), ("lasts", 9, 14), ("he", 17, 19), ("said", 20, 24),
                                           ("but", 27, 30), ("well", 31, 35), ("known", 36, 41), ("lights", 42, 48), ("do", 49, 51)]
        let words = spans.enumerated().map { k, w in
            WordTimestamp(text: w.0, start: Double(k) * 0.3, end: Double(k) * 0.3 + 0.25, charStart: w.1, charEnd: w.2)
        }
        let sentence = SentenceTimestamp(text: text, start: 0, end: 2.65, charStart: 0, charEnd: text.unicodeScalars.count, words: 0..<9)
        let cues = CaptionWriter.cues(text: text, words: words, sentences: [sentence])
        #expect(cues.map { $0.lines.joined(separator: " ") } == [text])
        #expect(cues[0].lines.allSatisfy { $0.count <= CaptionWriter.maxLineLength })
    }

    @Test func inlinePronunciationsShowAsTheWord() {
        let text = "Say [Kokoro](/kˈOkəɹO/) twice, then (\"[read](/ɹˈɛd/)\") stop."
        // Each word's code-point range, found in order.
        let scalars = Array(text.unicodeScalars)
        var from = 0
        let words = ["Say", "Kokoro", "twice", "then", "read", "stop"].enumerated().map { k, word -> WordTimestamp in
            let w = Array(word.unicodeScalars)
            var at = from
            while !scalars[at..<(at + w.count)].elementsEqual(w) { at += 1 }
            from = at + w.count
            return WordTimestamp(text: word, start: Double(k), end: Double(k) + 0.5, charStart: at, charEnd: at + w.count)
        }
        #expect(words.allSatisfy { $0.text == text.codePoints($0.charStart, $0.charEnd) })
        let sentence = SentenceTimestamp(text: text, start: 0, end: 5.5, charStart: 0, charEnd: text.unicodeScalars.count, words: 0..<6)
        let cues = CaptionWriter.cues(text: text, words: words, sentences: [sentence])
        #expect(cues.map { $0.lines.joined(separator: " ") } == ["Say Kokoro twice, then (\"read\") stop."])
    }

    @Test func vttHasItsHeaderAndDotSeparators() {
        let vtt = CaptionWriter.render(.vtt, text: Self.text, words: Self.words, sentences: Self.sentences)
        #expect(vtt.hasPrefix("WEBVTT\n\n00:00:00.100 --> 00:00:00.900\nHello, world!\n"))
    }

    @Test func tsvAndJSON() throws {
        let tsv = CaptionWriter.render(.tsv, text: Self.text, words: Self.words, sentences: Self.sentences)
        #expect(tsv.split(separator: "\n").first == "Hello\t0.100\t0.450")
        #expect(tsv.split(separator: "\n")[4] == "$100\t1.800\t2.600")
        let json = CaptionWriter.render(.json, text: Self.text, words: Self.words, sentences: Self.sentences)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let words = try #require(obj["words"] as? [[String: Any]])
        #expect(words.count == 6)
        #expect(words[4]["text"] as? String == "$100")
        #expect(words[4]["startMs"] as? Int == 1800)
        #expect(words[4]["charEnd"] as? Int == 27)
        #expect((obj["sentences"] as? [[String: Any]])?.count == 2)
    }

    @Test func longSentencesSplitIntoReadableCues() {
        var sentenceWords = [WordTimestamp]()
        var offset = 0
        for i in 0..<30 {
            let w = "word\(i)"
            sentenceWords.append(WordTimestamp(text: w, start: Double(i) * 0.3, end: Double(i) * 0.3 + 0.25,
                                               charStart: offset, charEnd: offset + w.count))
            offset += w.count + 1
        }
        let text = sentenceWords.map(\.text).joined(separator: " ")
        let s = [SentenceTimestamp(text: text, start: 0, end: 9, charStart: 0, charEnd: text.unicodeScalars.count, words: 0..<30)]
        let cues = CaptionWriter.cues(text: text, words: sentenceWords, sentences: s)
        #expect(cues.count > 1)
        for c in cues {
            #expect(c.lines.count <= CaptionWriter.maxLines)
            for l in c.lines { #expect(l.count <= CaptionWriter.maxLineLength) }
            #expect(c.end - c.start <= CaptionWriter.maxCueDuration)
        }
        #expect(cues.flatMap(\.lines).joined(separator: " ") == text)
    }
}
