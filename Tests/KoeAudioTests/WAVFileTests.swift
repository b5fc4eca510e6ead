import Foundation
import KoeAudio
import Testing

/// Little-endian field readers over a byte array.
private extension Array where Element == UInt8 {
    func u16(_ at: Int) -> Int { Int(self[at]) | Int(self[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[at + $1]) << (8 * UInt32($1)) } }
    func tag(_ at: Int) -> String { String(decoding: self[at..<at + 4], as: UTF8.self) }
}

@Suite("WAV headers: exact, streaming and patched")
struct WAVFileTests {
    let signal = TestSignal.make()
    let n = TestSignal.sampleCount

    @Test("16-bit PCM header fields for a known length")
    func int16Header() throws {
        let bytes = try AudioEncoderFactory.encode(signal, format: .wav)
        #expect(bytes.count == 44 + 2 * n)
        #expect(bytes.tag(0) == "RIFF" && bytes.tag(8) == "WAVE" && bytes.tag(12) == "fmt ")
        #expect(bytes.u32(4) == UInt32(36 + 2 * n))
        #expect(bytes.u32(16) == 16)
        #expect(bytes.u16(20) == 1)  // WAVE_FORMAT_PCM
        #expect(bytes.u16(22) == 1)  // mono
        #expect(bytes.u32(24) == 24_000)
        #expect(bytes.u32(28) == 48_000)  // byte rate
        #expect(bytes.u16(32) == 2)  // block align
        #expect(bytes.u16(34) == 16)
        #expect(bytes.tag(36) == "data")
        #expect(bytes.u32(40) == UInt32(2 * n))
    }

    @Test("32-bit float header fields for a known length")
    func float32Header() throws {
        let bytes = try AudioEncoderFactory.encode(signal, format: .wav, options: .init(wavSampleFormat: .float32))
        #expect(bytes.count == 58 + 4 * n)
        #expect(bytes.u32(4) == UInt32(50 + 4 * n))
        #expect(bytes.u32(16) == 18)
        #expect(bytes.u16(20) == 3)  // WAVE_FORMAT_IEEE_FLOAT
        #expect(bytes.u16(22) == 1)
        #expect(bytes.u32(24) == 24_000)
        #expect(bytes.u32(28) == 96_000)
        #expect(bytes.u16(32) == 4)
        #expect(bytes.u16(34) == 32)
        #expect(bytes.u16(36) == 0)  // cbSize
        #expect(bytes.tag(38) == "fact" && bytes.u32(42) == 4 && bytes.u32(46) == UInt32(n))
        #expect(bytes.tag(50) == "data" && bytes.u32(54) == UInt32(4 * n))
        #expect(Float(bitPattern: bytes.u32(58)) == signal[0])
    }

    @Test("a stream of unknown length announces 0xFFFFFFFF sizes", arguments: WAVSampleFormat.allCases)
    func streamingHeader(_ sampleFormat: WAVSampleFormat) throws {
        let bytes = try TestSignal.encodeChunked(signal, format: .wav, options: .init(wavSampleFormat: sampleFormat))
        let dataOffset = sampleFormat == .int16 ? 40 : 54
        #expect(bytes.u32(4) == WAVFile.unknownSize)
        #expect(bytes.u32(dataOffset) == WAVFile.unknownSize)
        if sampleFormat == .float32 { #expect(bytes.u32(46) == WAVFile.unknownSize) }
    }

    @Test("patching a streamed WAV gives the exact-header file, in memory and on disk",
          arguments: WAVSampleFormat.allCases)
    func patchHeader(_ sampleFormat: WAVSampleFormat) throws {
        let options = AudioEncoderOptions(wavSampleFormat: sampleFormat)
        let exact = try AudioEncoderFactory.encode(signal, format: .wav, options: options)
        var streamed = try TestSignal.encodeChunked(signal, format: .wav, options: options)
        #expect(streamed != exact)
        let folder = try TemporaryFolder()
        let file = try folder.write(streamed, as: "streamed.wav")
        try WAVFile.patchHeader(&streamed)
        #expect(streamed == exact)
        try WAVFile.patchHeader(of: file)
        #expect([UInt8](try Data(contentsOf: file)) == exact)
    }

    @Test("WAVFile.write and encode match the encoder's exact output", arguments: WAVSampleFormat.allCases)
    func writeFile(_ sampleFormat: WAVSampleFormat) throws {
        let folder = try TemporaryFolder()
        let file = folder.file("written.wav")
        try WAVFile.write(samples: signal, sampleFormat: sampleFormat, to: file)
        let exact = try AudioEncoderFactory.encode(signal, format: .wav, options: .init(wavSampleFormat: sampleFormat))
        #expect([UInt8](try Data(contentsOf: file)) == exact)
        #expect(WAVFile.encode(samples: signal, sampleFormat: sampleFormat) == exact)
    }

    @Test("a stream finished before any chunk has an exact empty header")
    func emptyStream() throws {
        let encoder = try AudioEncoderFactory.make(format: .wav)
        let bytes = try encoder.finish()
        #expect(bytes == WAVFile.header(sampleRate: 24_000, sampleFormat: .int16, sampleCount: 0))
        #expect(bytes.count == 44 && bytes.u32(4) == 36 && bytes.u32(40) == 0)
    }

    @Test("patching rejects what is not a WAV")
    func patchRejectsGarbage() {
        var notWAV = Array("OggS and then some more bytes".utf8)
        #expect(throws: AudioEncoderError.self) { try WAVFile.patchHeader(&notWAV) }
        var noData = Array(WAVFile.header(sampleRate: 24_000, sampleFormat: .int16, sampleCount: 0).prefix(36))
        #expect(throws: AudioEncoderError.self) { try WAVFile.patchHeader(&noData) }
    }
}
