import CFLAC

/// Collects what libFLAC's write callback hands over until the encoder returns it.
private final class FLACByteSink {
    var bytes: [UInt8] = []

    func take() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }
}

/// FLAC through libFLAC's stream encoder with a write callback only: no seeking, so
/// STREAMINFO keeps the total from ``AudioEncoderOptions/expectedSampleCount`` (0,
/// "unknown", otherwise) and no MD5.
final class FLACStreamEncoder: AudioEncoder {
    let format = AudioFormat.flac
    let sampleRate: Int
    private var progress: EncoderProgress
    private var quantizer: SampleQuantizer
    /// Owned libFLAC encoder; deleted in deinit.
    private let encoder: UnsafeMutablePointer<FLAC__StreamEncoder>
    /// Kept alive by `self` for as long as `encoder` may call back into it.
    private let sink = FLACByteSink()

    init(sampleRate: Int, options: AudioEncoderOptions) throws {
        self.sampleRate = sampleRate
        progress = EncoderProgress(format: .flac, expectedSampleCount: options.expectedSampleCount)
        quantizer = SampleQuantizer(bitsPerSample: options.flacBitsPerSample, dither: options.dither)
        guard let encoder = FLAC__stream_encoder_new() else {
            throw AudioEncoderError.encoderInitFailed(
                library: "libFLAC", code: -1, message: "FLAC__stream_encoder_new returned NULL")
        }
        self.encoder = encoder
        // Setters only fail once the encoder is initialised, which it is not yet.
        _ = FLAC__stream_encoder_set_channels(encoder, 1)
        _ = FLAC__stream_encoder_set_bits_per_sample(encoder, UInt32(options.flacBitsPerSample))
        _ = FLAC__stream_encoder_set_sample_rate(encoder, UInt32(sampleRate))
        _ = FLAC__stream_encoder_set_compression_level(encoder, UInt32(options.flacCompressionLevel))
        _ = FLAC__stream_encoder_set_streamable_subset(encoder, sampleRate <= 655_350 ? 1 : 0)
        if let total = options.expectedSampleCount {
            _ = FLAC__stream_encoder_set_total_samples_estimate(encoder, UInt64(total))
        }
        // Safety: the client data is `sink`, which `self` owns and keeps alive until
        // deinit has deleted the encoder, the last point libFLAC can call back.
        let clientData = Unmanaged.passUnretained(sink).toOpaque()
        let status = FLAC__stream_encoder_init_stream(
            encoder,
            { _, buffer, byteCount, _, _, clientData in
                guard let buffer, let clientData else { return FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR }
                let sink = Unmanaged<FLACByteSink>.fromOpaque(clientData).takeUnretainedValue()
                sink.bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: byteCount))
                return FLAC__STREAM_ENCODER_WRITE_STATUS_OK
            },
            nil, nil, nil, clientData)
        if status != FLAC__STREAM_ENCODER_INIT_STATUS_OK {
            let message = String(cString: koe_flac_init_status_string(status))
            FLAC__stream_encoder_delete(encoder)
            throw AudioEncoderError.encoderInitFailed(library: "libFLAC", code: Int(status.rawValue), message: message)
        }
    }

    deinit {
        // Finishes first if `finish()` was never called; the sink is still alive here.
        FLAC__stream_encoder_delete(encoder)
    }

    var sampleCount: Int { progress.sampleCount }

    func encode(_ samples: [Float]) throws -> [UInt8] {
        try progress.accept(samples.count)
        if !samples.isEmpty {
            var ints = [Int32](repeating: 0, count: samples.count)
            for i in samples.indices { ints[i] = quantizer.quantize(samples[i]) }
            let ok = ints.withUnsafeBufferPointer { pcm in
                // Safety: mono, so libFLAC reads exactly `pcm.count` values, during the call only.
                FLAC__stream_encoder_process_interleaved(encoder, pcm.baseAddress, UInt32(pcm.count))
            }
            if ok == 0 { throw stateError("FLAC__stream_encoder_process_interleaved") }
        }
        return sink.take()
    }

    func finish() throws -> [UInt8] {
        guard progress.markFinished() else { return [] }
        if FLAC__stream_encoder_finish(encoder) == 0 { throw stateError("FLAC__stream_encoder_finish") }
        try progress.checkExpectedCount()
        return sink.take()
    }

    private func stateError(_ function: String) -> AudioEncoderError {
        let state = FLAC__stream_encoder_get_state(encoder)
        let message = String(cString: FLAC__stream_encoder_get_resolved_state_string(encoder))
        return .encodingFailed(library: "libFLAC", code: Int(state.rawValue), message: "\(function): \(message)")
    }
}
