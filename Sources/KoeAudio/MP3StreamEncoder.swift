import CLame

/// MP3 through LAME: mono CBR at the input rate, flushed with `lame_encode_flush`. A
/// Xing/LAME tag only on request (``AudioEncoderOptions/mp3InfoTag``): a stream cannot seek
/// back to fill it in.
final class MP3StreamEncoder: AudioEncoder {
    let format = AudioFormat.mp3
    let sampleRate: Int
    private var progress: EncoderProgress
    /// Owned LAME context; closed in deinit.
    private let lame: OpaquePointer
    /// Input is fed in slices of this size so the output buffer stays bounded.
    private static let sliceLength = 8192
    private let infoTag: Bool

    init(sampleRate: Int, options: AudioEncoderOptions) throws {
        self.sampleRate = sampleRate
        infoTag = options.mp3InfoTag
        progress = EncoderProgress(format: .mp3, expectedSampleCount: options.expectedSampleCount)
        guard let lame = lame_init() else {
            throw AudioEncoderError.encoderInitFailed(library: "LAME", code: -2, message: "lame_init returned NULL")
        }
        self.lame = lame
        let kbps = (options.bitrate ?? AudioEncoderOptions.defaultMP3Bitrate) / 1000
        let rate = Int32(sampleRate)
        // Each setter only records a value; lame_init_params validates them together.
        _ = lame_set_num_channels(lame, 1)
        _ = lame_set_mode(lame, MONO)
        _ = lame_set_in_samplerate(lame, rate)
        _ = lame_set_out_samplerate(lame, rate)
        _ = lame_set_VBR(lame, vbr_off)
        _ = lame_set_brate(lame, Int32(kbps))
        _ = lame_set_quality(lame, 2)
        _ = lame_set_bWriteVbrTag(lame, options.mp3InfoTag ? 1 : 0)
        let status = lame_init_params(lame)
        if status < 0 {
            lame_close(lame)
            throw AudioEncoderError.encoderInitFailed(
                library: "LAME", code: Int(status),
                message: "lame_init_params rejected mono \(sampleRate) Hz at \(kbps) kbit/s")
        }
    }

    deinit { lame_close(lame) }

    var sampleCount: Int { progress.sampleCount }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        var out: [UInt8] = []
        var start = 0
        while start < samples.count {
            let end = min(start + Self.sliceLength, samples.count)
            let slice = samples[start..<end].map(SampleQuantizer.sanitize)
            // LAME's documented worst case for one call: 1.25 * samples + 7200 bytes.
            var buffer = [UInt8](repeating: 0, count: slice.count * 5 / 4 + 7200)
            let written = slice.withUnsafeBufferPointer { pcm in
                buffer.withUnsafeMutableBufferPointer { mp3 in
                    // Safety: LAME reads `pcm.count` floats (the right channel is ignored in
                    // mono) and writes at most `mp3.count` bytes; both buffers outlive the call.
                    lame_encode_buffer_ieee_float(
                        lame, pcm.baseAddress, pcm.baseAddress, Int32(pcm.count), mp3.baseAddress, Int32(mp3.count))
                }
            }
            try check(written, "lame_encode_buffer_ieee_float")
            out.append(contentsOf: buffer[..<Int(written)])
            start = end
        }
        return out
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        var buffer = [UInt8](repeating: 0, count: 7200)
        let written = buffer.withUnsafeMutableBufferPointer { mp3 in
            // Safety: LAME writes at most `mp3.count` bytes (7200 covers the final frames).
            lame_encode_flush(lame, mp3.baseAddress, Int32(mp3.count))
        }
        try check(written, "lame_encode_flush")
        try progress.checkExpectedCount()
        return Array(buffer[..<Int(written)])
    }

    func seekableHeader() -> [UInt8]? {
        guard infoTag, progress.isFinished else { return nil }
        var buffer = [UInt8](repeating: 0, count: 2880)
        let size = buffer.withUnsafeMutableBufferPointer { frame in
            // Safety: LAME writes at most `frame.count` bytes; a larger tag returns its size unwritten.
            lame_get_lametag_frame(lame, frame.baseAddress, frame.count)
        }
        guard size > 0, size <= buffer.count else { return nil }
        return Array(buffer[..<size])
    }

    private func check(_ status: Int32, _ function: String) throws {
        guard status < 0 else { return }
        let reason =
            switch status {
            case -1: "output buffer too small"
            case -2: "out of memory"
            case -3: "lame_init_params was not called"
            case -4: "psychoacoustic model problem"
            default: "unknown error"
            }
        throw AudioEncoderError.encodingFailed(library: "LAME", code: Int(status), message: "\(function): \(reason)")
    }
}
