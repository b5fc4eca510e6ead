import Foundation
import KoeAudio
import Testing

@Suite("Chunks join seamlessly: encoder state carries across encode calls")
struct SeamlessJoinTests {
    let signal = TestSignal.make()

    /// Formats whose bytes are deterministic (Ogg gets a random serial number per stream).
    static let deterministic: [RoundTripCase] = RoundTripCase.lossless + [
        RoundTripCase(name: "pcm dithered", format: .pcm, options: .init(dither: true), codec: "pcm_s16le"),
        RoundTripCase(name: "flac dithered", format: .flac, options: .init(dither: true), codec: "flac"),
        RoundTripCase.mp3,
    ]

    @Test("two-chunk, many-chunk and one-chunk encodings are byte-identical", arguments: deterministic)
    func identicalBytes(_ c: RoundTripCase) throws {
        let one = try encode([signal], c)
        let split = 17_777
        let two = try encode([Array(signal[..<split]), Array(signal[split...])], c)
        let many = try encode(TestSignal.chunks(of: signal), c)
        #expect(two == one)
        #expect(many == one)
    }

    @Test("Ogg Opus: the same packets whatever the chunking, and a well-formed page sequence")
    func opusPackets() throws {
        let onePages = try OggPage.pages(in: encode([signal], RoundTripCase(name: "", format: .opus, codec: "opus")))
        let bytes = try TestSignal.encodeChunked(signal, format: .opus)
        let pages = try OggPage.pages(in: bytes)
        #expect(OggPage.packets(in: pages) == OggPage.packets(in: onePages))

        #expect(pages.first?.isFirst == true && pages.dropFirst().allSatisfy { !$0.isFirst })
        #expect(pages.last?.isLast == true && pages.dropLast().allSatisfy { !$0.isLast })
        #expect(Set(pages.map(\.serialNumber)).count == 1)
        #expect(pages.map(\.sequenceNumber) == (0..<UInt32(pages.count)).map { $0 })
        let granules = pages.map(\.granulePosition)
        #expect(granules == granules.sorted())

        let packets = OggPage.packets(in: pages)
        let head = try #require(packets.first)
        #expect(head.count == 19 && Array(head[0..<8]) == Array("OpusHead".utf8))
        #expect(head[8] == 1 && head[9] == 1)
        let preSkip = Int(head[10]) | Int(head[11]) << 8
        #expect(preSkip == 312)  // libopus's 6.5 ms lookahead at 24 kHz, in 48 kHz samples
        #expect(Array(head[12..<16]) == [0xC0, 0x5D, 0x00, 0x00])  // 24 000
        #expect(Array(packets[1][0..<8]) == Array("OpusTags".utf8))
        #expect(pages[0].lacing.count == 1 && pages[1].granulePosition == 0)
        // The final granule says where the audio ends: pre-skip plus the input at 48 kHz.
        #expect(pages.last?.granulePosition == Int64(preSkip + 2 * TestSignal.sampleCount))
        // Every audio packet is one 20 ms CELT/SILK frame (TOC code 0), enough of them to cover the delay.
        let audio = packets.dropFirst(2)
        #expect(audio.count == (TestSignal.sampleCount + 156 + 479) / 480)
        #expect(audio.allSatisfy { $0[0] & 0x03 == 0 })
    }

    private func encode(_ chunks: [[Float]], _ c: RoundTripCase) throws -> [UInt8] {
        let encoder = try AudioEncoderFactory.make(format: c.format, options: c.options)
        var out: [UInt8] = []
        for chunk in chunks { out += try encoder.encode(chunk) }
        return out + (try encoder.finish())
    }
}
