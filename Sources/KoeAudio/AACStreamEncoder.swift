import CAVCodec

/// AAC-LC through libavcodec's native encoder, each access unit framed as ADTS (ISO/IEC
/// 13818-7 §6.2: a 7-byte header, no CRC), so the stream plays from any frame and needs no
/// container. The encoder takes frames of 1024 samples; the tail is sent as a short last
/// frame when the codec allows it, else padded with silence.
///
/// libavcodec is opened with the first AAC stream (see `koe_libav_open`), so a machine without
/// it does everything else and gets a clear error for AAC alone.
final class AACStreamEncoder: AudioEncoder {
    /// libavcodec's and libavutil's functions, opened once per process.
    static let library: Result<koe_libav, AudioEncoderError> = {
        var error = [CChar](repeating: 0, count: 512)
        guard let api = koe_libav_open(&error, error.count) else {
            let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(.encoderInitFailed(
                library: "libavcodec", code: -3,
                message: "AAC needs \(String(cString: koe_avcodec_library())) (Debian and Ubuntu: the libavcodec\(LIBAVCODEC_VERSION_MAJOR) package): \(reason)"))
        }
        return .success(api.pointee)
    }()

    private let av: koe_libav
    let format = AudioFormat.aac
    let sampleRate: Int
    private var progress: EncoderProgress
    /// Owned codec context and reusable frame/packet; freed in deinit.
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private let frameSize: Int
    private let smallLastFrame: Bool
    private let frequencyIndex: UInt8
    /// Samples waiting for a whole frame.
    private var pending: [Float] = []

    /// ADTS sampling-frequency indices (ISO/IEC 14496-3 Table 1.18).
    static let adtsSampleRates = [96_000, 88_200, 64_000, 48_000, 44_100, 32_000, 24_000, 22_050, 16_000, 12_000, 11_025, 8_000, 7_350]

    init(sampleRate: Int, options: AudioEncoderOptions) throws {
        self.sampleRate = sampleRate
        progress = EncoderProgress(format: .aac, expectedSampleCount: options.expectedSampleCount)
        guard let index = Self.adtsSampleRates.firstIndex(of: sampleRate) else {
            throw AudioEncoderError.unsupportedSampleRate(format: .aac, sampleRate: sampleRate, supported: Self.adtsSampleRates)
        }
        frequencyIndex = UInt8(index)
        let av = try Self.library.get()
        self.av = av
        // The native encoder ("aac"), not whichever external one happens to be registered first.
        guard let codec = av.avcodec_find_encoder_by_name("aac") else {
            throw AudioEncoderError.encoderInitFailed(library: "libavcodec", code: -1, message: "no native AAC encoder in this libavcodec")
        }
        guard let context = av.avcodec_alloc_context3(codec) else {
            throw AudioEncoderError.encoderInitFailed(library: "libavcodec", code: -2, message: "avcodec_alloc_context3 returned NULL")
        }
        context.pointee.sample_fmt = AV_SAMPLE_FMT_FLTP
        context.pointee.sample_rate = Int32(sampleRate)
        context.pointee.bit_rate = Int64(options.bitrate ?? AudioEncoderOptions.defaultAACBitrate)
        context.pointee.profile = FF_PROFILE_AAC_LOW
        av.av_channel_layout_default(&context.pointee.ch_layout, 1)
        let status = av.avcodec_open2(context, codec, nil)
        guard status >= 0 else {
            var owned: UnsafeMutablePointer<AVCodecContext>? = context
            av.avcodec_free_context(&owned)
            throw AudioEncoderError.encoderInitFailed(library: "libavcodec", code: Int(status),
                                                      message: "avcodec_open2 rejected mono \(sampleRate) Hz AAC-LC: \(Self.message(status, av))")
        }
        frameSize = Int(context.pointee.frame_size)
        smallLastFrame = (codec.pointee.capabilities & Int32(AV_CODEC_CAP_SMALL_LAST_FRAME)) != 0
        self.context = context
        // From here every stored property is set, so deinit frees what was allocated.
        frame = av.av_frame_alloc()
        packet = av.av_packet_alloc()
        guard frameSize > 0, frame != nil, packet != nil else {
            throw AudioEncoderError.encoderInitFailed(library: "libavcodec", code: -2, message: "cannot allocate an AAC frame")
        }
    }

    deinit {
        av.avcodec_free_context(&context)
        av.av_frame_free(&frame)
        av.av_packet_free(&packet)
    }

    var sampleCount: Int { progress.sampleCount }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        pending += samples.map(SampleQuantizer.sanitize)
        var out: [UInt8] = []
        var start = 0
        while pending.count - start >= frameSize {
            try send(pending[start..<(start + frameSize)], into: &out)
            start += frameSize
        }
        pending.removeFirst(start)
        return out
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        var out: [UInt8] = []
        // ADTS cannot express zero length: an empty stream gets one frame of silence, so
        // decoders still find a valid stream (as LAME does for MP3).
        if progress.sampleCount == 0 { pending = [Float](repeating: 0, count: frameSize) }
        if !pending.isEmpty {
            if !smallLastFrame { pending += [Float](repeating: 0, count: frameSize - pending.count) }
            try send(pending[...], into: &out)
            pending = []
        }
        try drain(flush: true, into: &out)
        try progress.checkExpectedCount()
        return out
    }

    /// Sends one frame of at most `frameSize` samples and collects the packets it releases.
    private func send(_ samples: ArraySlice<Float>, into out: inout [UInt8]) throws {
        guard let context, let frame else { return }
        frame.pointee.nb_samples = Int32(samples.count)
        frame.pointee.format = AV_SAMPLE_FMT_FLTP.rawValue
        frame.pointee.sample_rate = Int32(sampleRate)
        if frame.pointee.ch_layout.nb_channels == 0 {
            try check(av.av_channel_layout_copy(&frame.pointee.ch_layout, &context.pointee.ch_layout), "av_channel_layout_copy")
            try check(av.av_frame_get_buffer(frame, 0), "av_frame_get_buffer")
        }
        try check(av.av_frame_make_writable(frame), "av_frame_make_writable")
        guard let plane = frame.pointee.data.0 else {
            throw AudioEncoderError.encodingFailed(library: "libavcodec", code: -1, message: "the AAC frame has no sample buffer")
        }
        // Safety: av_frame_get_buffer sized plane 0 for `frameSize` floats (FLTP, one channel),
        // and `samples.count` <= frameSize; the frame outlives the copy.
        UnsafeMutableRawPointer(plane).withMemoryRebound(to: Float.self, capacity: frameSize) { dst in
            for (k, x) in samples.enumerated() { dst[k] = x }
        }
        try check(av.avcodec_send_frame(context, frame), "avcodec_send_frame")
        try drain(flush: false, into: &out)
    }

    /// Collects the packets the encoder has ready (all of them, when flushing), each behind an ADTS header.
    private func drain(flush: Bool, into out: inout [UInt8]) throws {
        guard let context, let packet else { return }
        if flush { try check(av.avcodec_send_frame(context, nil), "avcodec_send_frame") }
        while true {
            let status = av.avcodec_receive_packet(context, packet)
            if status == koe_averror_eagain() || status == koe_averror_eof() { return }
            try check(status, "avcodec_receive_packet")
            let size = Int(packet.pointee.size)
            out += Self.adtsHeader(payloadLength: size, frequencyIndex: frequencyIndex, channels: 1)
            if let data = packet.pointee.data, size > 0 {
                // Safety: libavcodec owns `size` bytes at `data` until av_packet_unref below.
                out.append(contentsOf: UnsafeBufferPointer(start: data, count: size))
            }
            av.av_packet_unref(packet)
        }
    }

    /// The 7-byte ADTS header of an AAC-LC access unit without CRC.
    static func adtsHeader(payloadLength: Int, frequencyIndex: UInt8, channels: UInt8) -> [UInt8] {
        let length = payloadLength + 7  // 13 bits: the header is counted
        let profile: UInt8 = 1  // audio object type 2 (LC) minus one
        return [
            0xFF,
            0xF1,  // sync, MPEG-4, layer 0, no CRC
            (profile << 6) | (frequencyIndex << 2) | (channels >> 2),
            ((channels & 3) << 6) | UInt8((length >> 11) & 0x03),
            UInt8((length >> 3) & 0xFF),
            UInt8((length & 0x07) << 5) | 0x1F,
            0xFC,  // buffer fullness 0x7FF (variable rate), one raw data block
        ]
    }

    private func check(_ status: Int32, _ function: String) throws {
        guard status < 0 else { return }
        throw AudioEncoderError.encodingFailed(library: "libavcodec", code: Int(status), message: "\(function): \(message(status))")
    }

    private func message(_ status: Int32) -> String { Self.message(status, av) }

    private static func message(_ status: Int32, _ av: koe_libav) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        _ = av.av_strerror(status, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
