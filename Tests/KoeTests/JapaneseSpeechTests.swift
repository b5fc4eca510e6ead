import Foundation
import Testing
@testable import Koe
import KoeAudio
import KoeText

/// Japanese text end to end with the real model: jf_alpha reads it as Japanese by default,
/// to MP3 with SRT captions whose words are timestamped in order.
@Suite(.serialized) struct JapaneseSpeechTests {
    static let paragraph = "昨日の夜、友達と駅前のラーメン屋に行きました。店には3人しかいなくて、すぐに座れました。"
        + "お父さんは「本当においしい！」と言って、ラーメンを2杯も食べました。"
    static let cache = SpeechCache()
    static let options = SpeechOptions(voice: "jf_alpha", threads: 2)

    func speech() async throws -> Speech {
        try await Self.cache.get { try await Speaker.synthesizer().synthesize(Self.paragraph, options: Self.options) }
    }

    @Test func japaneseVoicesReadJapaneseUnlessToldOtherwise() throws {
        let koe = try Speaker.synthesizer()
        #expect(try koe.language(for: Self.options) == .japanese)
        #expect(try koe.language(for: SpeechOptions(voice: "jm_kumo", language: .americanEnglish)) == .americanEnglish)
    }

    @Test func wordsAreTimestampedInOrderWithTheOriginalSpelling() async throws {
        let speech = try await speech()
        #expect(speech.words.count > 20)
        #expect(speech.sentences.count == 3)
        var previousEnd = 0.0, previousChar = -1
        for w in speech.words {
            #expect(w.start < w.end, "\(w.text): \(w.start)..\(w.end)")
            #expect(w.start >= previousEnd - 1e-9, "\(w.text) starts before the previous word ends")
            #expect(w.end <= speech.duration + 1e-9)
            #expect(w.charStart > previousChar)
            #expect(w.text == Self.paragraph.codePoints(w.charStart, w.charEnd))
            previousEnd = w.end
            previousChar = w.charStart
        }
        #expect(speech.words.contains { $0.text == "3人" } || speech.words.contains { $0.text == "3" })
        #expect(speech.words.contains { $0.text == "2杯" })
        // Every kana and kanji of the paragraph is inside a word.
        for (i, s) in Self.paragraph.unicodeScalars.enumerated() where (0x3041...0x30FF).contains(s.value) || (0x4E00...0x9FFF).contains(s.value) {
            #expect(speech.words.contains { $0.charStart <= i && i < $0.charEnd }, "character \(i) (\(s)) has no word")
        }
    }

    @Test func mp3WithSRTCaptionsInJapaneseLines() async throws {
        let speech = try await speech()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("koe-ja-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let mp3 = dir.appendingPathComponent("ja.mp3")
        try FormatTests.encode([speech.samples], format: .mp3, to: mp3)
        let decoded = try FormatTests.decodedSampleCount(mp3)
        #expect(abs(decoded - speech.samples.count) <= 1152, "decoded \(decoded) of \(speech.samples.count) samples")

        let srt = CaptionWriter.render(.srt, text: Self.paragraph, words: speech.words, sentences: speech.sentences)
        try srt.write(to: dir.appendingPathComponent("ja.srt"), atomically: true, encoding: .utf8)
        let cues = CaptionWriter.cues(text: Self.paragraph, words: speech.words, sentences: speech.sentences)
        #expect(cues.count >= 3)
        var previousEnd = 0.0
        for cue in cues {
            #expect(cue.start >= previousEnd - 1e-9 && cue.start < cue.end)
            previousEnd = cue.end
            for line in cue.lines {
                #expect(!line.contains(" "), "Japanese lines have no spaces: \(line)")
                #expect(!CaptionWriter.exceedsLine(line), "line too long: \(line)")
            }
        }
        // The captions keep all of the text, punctuation included, in order.
        #expect(cues.flatMap(\.lines).joined() == Self.paragraph)
        #expect(srt.hasPrefix("1\n00:00:00,"))
    }
}

/// Japanese line breaking on fixed timestamps.
struct JapaneseCaptionTests {
    @Test func linesBreakBetweenWordsAtAboutTwentyFullWidthCharacters() {
        let text = "気象庁によりますと、台風10号は週末にも九州に接近する見込みです。"
        let pieces = ["気象庁", "に", "より", "ます", "と", "台風", "10号", "は", "週末", "に", "も", "九州", "に", "接近", "する", "見込み", "です"]
        var words: [WordTimestamp] = []
        var at = 0
        let scalars = Array(text.unicodeScalars)
        for (k, piece) in pieces.enumerated() {
            let n = piece.unicodeScalars.count
            while String(scalars[at..<(at + n)].map(Character.init)) != piece { at += 1 }
            words.append(WordTimestamp(text: piece, start: Double(k) * 0.3, end: Double(k) * 0.3 + 0.25, charStart: at, charEnd: at + n))
            at += n
        }
        let sentence = SentenceTimestamp(text: text, start: 0, end: words.last!.end, charStart: 0, charEnd: scalars.count, words: 0..<words.count)
        let cues = CaptionWriter.cues(text: text, words: words, sentences: [sentence])
        let lines = cues.flatMap(\.lines)
        #expect(lines.joined() == text)
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { !CaptionWriter.exceedsLine($0) })
        #expect(lines == ["気象庁によりますと、台風10号は", "週末にも九州に接近する見込みです。"])  // balanced
        #expect(!lines.contains { $0.hasPrefix("、") || $0.hasPrefix("。") })
        // English keeps its 42-character lines.
        #expect(!CaptionWriter.exceedsLine(String(repeating: "a", count: 42)) && CaptionWriter.exceedsLine(String(repeating: "a", count: 43)))
        #expect(CaptionWriter.exceedsLine(String(repeating: "あ", count: 21)))
    }
}
