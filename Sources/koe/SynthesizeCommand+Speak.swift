import Foundation
import Koe
import Logging

extension Synthesize {
    /// `--phonemes`: one forward pass, the exact audio and per-token durations.
    func speakPhonemes(_ phonemes: String, format: AudioFormat, logger: Logger) throws {
        let audioFile = try output.flatMap { $0 == "-" ? nil : try PendingFile(path: $0) }
        let timingsFile = try timings.map { try PendingFile(path: $0) }
        let synthesizer = try SpeechSynthesizer(files: model.files(), logger: logger)
        let result = try synthesizer.speak(phonemes: phonemes, options: speechOptions)
        let rate = synthesizer.sampleRate
        let bytes = try AudioEncoderFactory.encode(result.samples, format: format, sampleRate: rate, options: encoderOptions)
        if let timingsFile {
            let t = TimingsFile(sample_rate: rate, samples_per_frame: KokoroNetwork.samplesPerFrame,
                                phonemes: phonemes, durations: result.durations)
            let enc = JSONEncoder()
            enc.outputFormatting = [.withoutEscapingSlashes]
            try timingsFile.write(Array(try enc.encode(t)))
        }
        if let audioFile {
            try audioFile.write(bytes)
            try audioFile.commit()
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
        try timingsFile?.commit()
        logger.info("wrote \(output ?? "standard output")", metadata: ["seconds": "\(Double(result.samples.count) / Double(rate))"])
    }

    /// Text: the streaming pipeline, audio encoded chunk by chunk, timestamps at the end.
    func speakText(_ text: String, format: AudioFormat, logger: Logger) async throws {
        // Open every output first: an unwritable path fails before any synthesis.
        let audioFile = try output.flatMap { $0 == "-" ? nil : try PendingFile(path: $0) }
        let sideFiles = try [(timestamps, CaptionFormat.json), (tsv, .tsv),
                             (captions, captions.flatMap { CaptionFormat(fileExtension: URL(fileURLWithPath: $0).pathExtension) } ?? .srt)]
            .compactMap { path, format in try path.map { (try PendingFile(path: $0), format) } }

        let synthesizer = try SpeechSynthesizer(files: model.files(), lexiconDirectory: lexicons.directory,
                                                userLexicon: lexicons.userLexiconURL, logger: logger)
        // A file is written in one pass per chunk; a stream to standard output starts early.
        var options = speechOptions
        options.earlyFirstAudio = audioFile == nil && SpeechOptions.defaultEarlyFirstAudio

        let encoder = try AudioEncoderFactory.make(format: format, options: encoderOptions)
        func emit(_ bytes: [UInt8]) throws {
            if let audioFile { try audioFile.write(bytes) } else if !bytes.isEmpty { FileHandle.standardOutput.write(Data(bytes)) }
        }
        let total = max(1, text.unicodeScalars.count)
        let progress = ProgressBar(enabled: !noProgress && total > 400)
        let started = DispatchTime.now().uptimeNanoseconds
        var words: [WordTimestamp] = []
        var sentences: [SentenceTimestamp] = []
        var summary: SpeechSummary?
        defer { progress.finish() }
        for try await event in synthesizer.stream(text, options: options) {
            switch event {
            case .audio(let chunk):
                try emit(try encoder.encode(chunk.samples))
                words += chunk.words
                sentences += chunk.sentences
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let audio = chunk.startTime + chunk.duration
                progress.update(fraction: Double(chunk.textRange.upperBound) / Double(total),
                                audioSeconds: audio, realTimeFactor: elapsed / max(audio, 1e-9))
            case .finished(let s):
                summary = s
            }
        }
        try emit(try encoder.finish())
        if let audioFile {
            try audioFile.close()
            try encoder.completeHeader(ofFileAt: audioFile.temporary)
        }
        for (file, captionFormat) in sideFiles {
            try file.write(Array(CaptionWriter.render(captionFormat, text: text, words: words, sentences: sentences).utf8))
        }
        try audioFile?.commit()
        for (file, _) in sideFiles { try file.commit() }
        if let summary {
            logger.info("spoke \(summary.wordCount) words", metadata: [
                "audio_s": "\(String(format: "%.2f", summary.audioSeconds))",
                "ttfa_s": "\(String(format: "%.3f", summary.timeToFirstAudio))",
                "rtf": "\(String(format: "%.3f", summary.realTimeFactor))",
                "chunks": "\(summary.chunkCount)",
            ])
        }
    }
}

extension Synthesize {
    /// The library's options for this command line.
    var speechOptions: SpeechOptions {
        SpeechOptions(voice: voice, speed: speed, language: language, threads: threads)
    }
}

/// `--timings` file: one duration (frames of 600 samples) per token the network saw,
/// the two boundary pads included.
struct TimingsFile: Codable {
    var sample_rate: Int
    var samples_per_frame: Int
    var phonemes: String
    var durations: [Int]
}
