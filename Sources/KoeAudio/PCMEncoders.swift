/// Writes samples as little-endian integers or floats, the body of WAV and raw PCM.
struct PCMSampleWriter {
    let sampleFormat: WAVSampleFormat
    private var quantizer: SampleQuantizer

    init(sampleFormat: WAVSampleFormat, dither: Bool) {
        self.sampleFormat = sampleFormat
        quantizer = SampleQuantizer(bitsPerSample: 16, dither: dither)
    }

    var bytesPerSample: Int { sampleFormat == .int16 ? 2 : 4 }

    mutating func append(_ samples: [Float], to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + samples.count * bytesPerSample)
        switch sampleFormat {
        case .int16:
            for x in samples { bytes.appendLE(Int16(truncatingIfNeeded: quantizer.quantize(x))) }
        case .float32:
            for x in samples { bytes.appendLE(SampleQuantizer.sanitize(x).bitPattern) }
        }
    }
}

/// Raw s16le: no header, nothing buffered.
final class PCMStreamEncoder: AudioEncoder {
    let format = AudioFormat.pcm
    let sampleRate: Int
    private var progress: EncoderProgress
    private var writer: PCMSampleWriter

    init(sampleRate: Int, options: AudioEncoderOptions) {
        self.sampleRate = sampleRate
        progress = EncoderProgress(format: .pcm, expectedSampleCount: options.expectedSampleCount)
        writer = PCMSampleWriter(sampleFormat: .int16, dither: options.dither)
    }

    var sampleCount: Int { progress.sampleCount }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        var out: [UInt8] = []
        writer.append(samples, to: &out)
        return out
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        try progress.checkExpectedCount()
        return []
    }
}

/// RIFF WAVE: a header first (exact when the total is known, `0xFFFFFFFF` sizes
/// otherwise), then the samples as they come.
final class WAVStreamEncoder: AudioEncoder {
    let format = AudioFormat.wav
    let sampleRate: Int
    private var progress: EncoderProgress
    private var writer: PCMSampleWriter
    private var headerSent = false

    init(sampleRate: Int, options: AudioEncoderOptions) {
        self.sampleRate = sampleRate
        progress = EncoderProgress(format: .wav, expectedSampleCount: options.expectedSampleCount)
        writer = PCMSampleWriter(sampleFormat: options.wavSampleFormat, dither: options.dither)
    }

    var sampleCount: Int { progress.sampleCount }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        var out = takeHeader()
        writer.append(samples, to: &out)
        return out
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        // A stream finished before any chunk is empty, and its header can say so exactly.
        let out = takeHeader(sampleCount: progress.expectedSampleCount ?? progress.sampleCount)
        try progress.checkExpectedCount()
        return out
    }

    private func takeHeader(sampleCount: Int? = nil) -> [UInt8] {
        guard !headerSent else { return [] }
        headerSent = true
        return WAVFile.header(
            sampleRate: sampleRate, sampleFormat: writer.sampleFormat,
            sampleCount: sampleCount ?? progress.expectedSampleCount)
    }
}
