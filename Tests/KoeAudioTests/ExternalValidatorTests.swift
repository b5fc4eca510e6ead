import Foundation
import KoeAudio
import Testing

@Suite("Validity as judged by flac, opusinfo, opusdec and sox")
struct ExternalValidatorTests {
    let signal = TestSignal.make()
    let n = TestSignal.sampleCount

    @Test("flac -t accepts the stream and flac -d gives back the exact samples", arguments: [16, 24])
    func flacTool(bits: Int) throws {
        let folder = try TemporaryFolder()
        let options = AudioEncoderOptions(flacBitsPerSample: bits)
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: .flac, options: options), as: "s.flac")
        let (_, test) = try ExternalTool.flac.run(["-t", file.path])
        #expect(test.contains("tested \(n) samples"), "\(test)")
        #expect(test.contains("ok"))
        let raw = folder.file("s.raw")
        try ExternalTool.flac.run(
            ["-d", "-s", "-f", "--force-raw-format", "--endian=little", "--sign=signed", "-o", raw.path, file.path])
        if bits == 16 {
            #expect(try FFmpeg.readLE(raw, as: Int16.self) == signal.map(TestSignal.int16))
        } else {
            let bytes = [UInt8](try Data(contentsOf: raw))
            // Sign-extend each little-endian 24-bit sample by building it in the top bytes.
            let decoded = stride(from: 0, to: bytes.count - 2, by: 3).map {
                let top = UInt32(bytes[$0]) << 8 | UInt32(bytes[$0 + 1]) << 16 | UInt32(bytes[$0 + 2]) << 24
                return Int32(bitPattern: top) >> 8
            }
            #expect(decoded == signal.map { Int32((Double($0) * 8_388_607).rounded()) })
        }
    }

    @Test("a known total is recorded in STREAMINFO")
    func flacKnownTotal() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(try AudioEncoderFactory.encode(signal, format: .flac), as: "s.flac")
        let (_, samples) = try ExternalTool.sox.run(["--i", "-s", file.path])
        #expect(samples.trimmingCharacters(in: .whitespacesAndNewlines) == String(n))
    }

    @Test("opusinfo reports the header and exact playback length without warnings")
    func opusinfo() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: .opus), as: "s.opus")
        let (_, info) = try ExternalTool.opusinfo.run([file.path])
        #expect(!info.localizedCaseInsensitiveContains("warning"), "\(info)")
        #expect(!info.localizedCaseInsensitiveContains("error"), "\(info)")
        #expect(info.contains("Pre-skip: 312"), "\(info)")
        #expect(info.contains("Channels: 1"))
        #expect(info.contains("Original sample rate: 24000 Hz"))
        #expect(info.contains("Packet duration:   20.0ms (max),   20.0ms (avg),   20.0ms (min)"), "\(info)")
        #expect(info.contains("Playback length: 0m:01.500s"), "\(info)")
    }

    @Test("opusdec trims to exactly the input length at 24 kHz")
    func opusdec() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: .opus), as: "s.opus")
        let wav = folder.file("decoded.wav")
        try ExternalTool.opusdec.run(["--quiet", "--rate", "24000", file.path, wav.path])
        let (_, samples) = try ExternalTool.sox.run(["--i", "-s", wav.path])
        #expect(samples.trimmingCharacters(in: .whitespacesAndNewlines) == String(n))
    }

    @Test("sox reads exact WAV headers", arguments: WAVSampleFormat.allCases)
    func soxExactWAV(_ sampleFormat: WAVSampleFormat) throws {
        let folder = try TemporaryFolder()
        let options = AudioEncoderOptions(wavSampleFormat: sampleFormat)
        let file = try folder.write(try AudioEncoderFactory.encode(signal, format: .wav, options: options), as: "s.wav")
        let (_, info) = try ExternalTool.sox.run(["--i", file.path])
        #expect(info.contains("= \(n) samples"), "\(info)")
        #expect(info.contains("Sample Rate    : 24000"))
        #expect(info.contains("Channels       : 1"))
        #expect(info.contains(sampleFormat == .int16 ? "16-bit Signed Integer PCM" : "32-bit Floating Point PCM"))
    }

    @Test("sox decodes a streamed WAV, raw PCM and FLAC to the exact samples", arguments: ["wav", "pcm", "flac"])
    func soxDecodes(ext: String) throws {
        let folder = try TemporaryFolder()
        let format = try #require(AudioFormat(fileExtension: ext))
        let file = try folder.write(try TestSignal.encodeChunked(signal, format: format), as: "s.\(ext)")
        let raw = folder.file("decoded.s16")
        let input = ext == "pcm" ? ["-t", "raw", "-r", "24000", "-e", "signed", "-b", "16", "-c", "1"] : []
        // A streamed WAV announces 0xFFFFFFFF bytes, so sox warns of a premature end; it must still read all.
        try ExternalTool.sox.run(input + [file.path, "-t", "raw", "-e", "signed", "-b", "16", raw.path])
        #expect(try FFmpeg.readLE(raw, as: Int16.self) == signal.map(TestSignal.int16))
    }
}
