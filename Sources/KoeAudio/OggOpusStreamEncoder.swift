import COpus

/// Opus in Ogg (RFC 7845): OpusHead and OpusTags pages, then 20 ms packets whose
/// granule positions (48 kHz units, pre-skip included) let decoders trim the
/// encoder delay and the last frame's padding to the exact input length.
final class OggOpusStreamEncoder: AudioEncoder {
    let format = AudioFormat.opus
    let sampleRate: Int
    private var progress: EncoderProgress
    /// Owned libopus encoder; destroyed in deinit.
    private let opus: OpaquePointer
    private let ogg: OggStream
    /// Samples per 20 ms packet at the input rate.
    private let frameLength: Int
    /// Granule units (48 kHz) per input sample.
    private let granuleScale: Int
    /// The encoder's algorithmic delay, in input samples.
    private let lookahead: Int
    private var pending: [Float] = []
    private var packetCount = 0
    private var headersSent = false
    /// RFC 6716's recommended maximum packet size.
    private var packet = [UInt8](repeating: 0, count: 4000)

    init(sampleRate: Int, options: AudioEncoderOptions) throws {
        self.sampleRate = sampleRate
        progress = EncoderProgress(format: .opus, expectedSampleCount: options.expectedSampleCount)
        frameLength = sampleRate / 50
        granuleScale = 48_000 / sampleRate
        var error: Int32 = 0
        guard let opus = opus_encoder_create(Int32(sampleRate), 1, OPUS_APPLICATION_AUDIO, &error), error == OPUS_OK
        else {
            throw AudioEncoderError.encoderInitFailed(
                library: "libopus", code: Int(error), message: String(cString: opus_strerror(error)))
        }
        self.opus = opus
        var delay: Int32 = 0
        let bitrate = Int32(options.bitrate ?? AudioEncoderOptions.defaultOpusBitrate)
        let statuses = [koe_opus_set_bitrate(opus, bitrate), koe_opus_get_lookahead(opus, &delay)]
        for status in statuses where status != OPUS_OK {
            opus_encoder_destroy(opus)
            throw AudioEncoderError.encoderInitFailed(
                library: "libopus", code: Int(status), message: String(cString: opus_strerror(status)))
        }
        lookahead = Int(delay)
        do {
            ogg = try OggStream(serialNumber: Int32.random(in: .min ... .max))
        } catch {
            opus_encoder_destroy(opus)
            throw error
        }
    }

    deinit { opus_encoder_destroy(opus) }

    var sampleCount: Int { progress.sampleCount }

    /// Pre-skip in 48 kHz samples: the decoder drops this much from the start.
    var preSkip: Int { lookahead * granuleScale }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        var out = try takeHeaders()
        pending.append(contentsOf: samples.lazy.map(SampleQuantizer.sanitize))
        let frames = pending.count / frameLength
        for f in 0..<frames {
            let granule = (packetCount + 1) * frameLength * granuleScale
            try encodeFrame(at: f * frameLength, granulePosition: granule, isLast: false)
        }
        pending.removeFirst(frames * frameLength)
        out += ogg.flush()
        return out
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        var out = try takeHeaders()
        // The decoder's output lags by `lookahead`, so encode that much silence past the
        // end, rounded up to whole frames; the final granule cuts the excess.
        let needed = pending.count + lookahead
        let frames = max(1, (needed + frameLength - 1) / frameLength)
        pending.append(contentsOf: repeatElement(0, count: frames * frameLength - pending.count))
        let endGranule = preSkip + progress.sampleCount * granuleScale
        for f in 0..<frames {
            let isLast = f == frames - 1
            let granule = isLast ? endGranule : (packetCount + 1) * frameLength * granuleScale
            try encodeFrame(at: f * frameLength, granulePosition: granule, isLast: isLast)
        }
        pending = []
        out += ogg.flush()
        try progress.checkExpectedCount()
        return out
    }

    private func encodeFrame(at start: Int, granulePosition: Int, isLast: Bool) throws {
        let length = pending.withUnsafeBufferPointer { pcm in
            packet.withUnsafeMutableBufferPointer { out -> Int32 in
                // Safety: `start + frameLength <= pcm.count` (callers pass whole frames);
                // libopus reads one frame and writes at most `out.count` bytes.
                guard let input = pcm.baseAddress, let output = out.baseAddress else { return OPUS_BAD_ARG }
                return opus_encode_float(opus, input + start, Int32(frameLength), output, Int32(out.count))
            }
        }
        if length < 0 {
            throw AudioEncoderError.encodingFailed(
                library: "libopus", code: Int(length), message: String(cString: opus_strerror(length)))
        }
        try ogg.append(Array(packet[..<Int(length)]), granulePosition: Int64(granulePosition), isLast: isLast)
        packetCount += 1
    }

    /// OpusHead and OpusTags, each on its own page, before the first audio page.
    private func takeHeaders() throws -> [UInt8] {
        guard !headersSent else { return [] }
        headersSent = true
        var head: [UInt8] = []
        head.appendASCII("OpusHead")
        head.append(1)  // version
        head.append(1)  // channels
        head.appendLE(UInt16(preSkip))
        head.appendLE(UInt32(sampleRate))  // original input rate, informational
        head.appendLE(Int16(0))  // output gain
        head.append(0)  // channel mapping family: mono/stereo
        try ogg.append(head, granulePosition: 0, isFirst: true)
        var out = ogg.flush()

        let vendor = String(cString: opus_get_version_string())
        let comment = "ENCODER=Koe"
        var tags: [UInt8] = []
        tags.appendASCII("OpusTags")
        tags.appendLE(UInt32(vendor.utf8.count))
        tags.appendASCII(vendor)
        tags.appendLE(UInt32(1))
        tags.appendLE(UInt32(comment.utf8.count))
        tags.appendASCII(comment)
        try ogg.append(tags, granulePosition: 0)
        out += ogg.flush()
        return out
    }
}
