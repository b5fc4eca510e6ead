import Foundation
import Testing
@testable import Koe
import KoeAudio

/// Speech from the pipeline, encoded chunk by chunk as the CLI does, decodes back with
/// Debian's own tools to exactly the samples that were synthesised.
@Suite(.serialized) struct FormatTests {
    static let cache = SpeechCache()
    static let text = "Formats must keep every sample. This second sentence makes a second chunk."

    /// Runs a tool from PATH; output goes to a file so a chatty tool never blocks.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let path else { throw ToolFailure(message: "\(tool) is not installed: run scripts/provision.sh --dev") }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("koe-format-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard p.terminationStatus == 0 else { throw ToolFailure(message: "\(tool) \(arguments.joined(separator: " ")): \(output)") }
        return output
    }

    struct ToolFailure: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// Samples ffmpeg decodes from `file` (mono 16-bit at 24 kHz).
    static func decodedSampleCount(_ file: URL, raw: Bool = false) throws -> Int {
        let out = file.appendingPathExtension("s16")
        let input = raw ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : []
        try run("ffmpeg", ["-v", "error", "-nostdin", "-y"] + input + ["-i", file.path, "-ac", "1", "-ar", "24000", "-f", "s16le", out.path])
        let size = try FileManager.default.attributesOfItem(atPath: out.path)[.size] as? Int ?? 0
        return size / 2
    }

    /// Encodes the stream's chunks one by one into a file, completing its header as the CLI does.
    static func encode(_ chunks: [[Float]], format: AudioFormat, to url: URL) throws {
        let encoder = try AudioEncoderFactory.make(format: format, options: AudioEncoderOptions(mp3InfoTag: true))
        var bytes: [UInt8] = []
        for c in chunks { bytes += try encoder.encode(c) }
        bytes += try encoder.finish()
        try Data(bytes).write(to: url)
        try encoder.completeHeader(ofFileAt: url)
    }

    @Test(arguments: AudioFormat.allCases)
    func decodesBackToTheSameLength(_ format: AudioFormat) async throws {
        let synthesizer = try Speaker.synthesizer()
        var chunks: [[Float]] = []
        for try await event in synthesizer.stream(Self.text, options: Speaker.options()) {
            if case .audio(let chunk) = event { chunks.append(chunk.samples) }
        }
        #expect(chunks.count >= 2)
        let total = chunks.reduce(0) { $0 + $1.count }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("koe-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("speech.\(format.fileExtension)")
        try Self.encode(chunks, format: format, to: file)
        let decoded = try Self.decodedSampleCount(file, raw: format == .pcm)
        if format == .aac {
            // ADTS cannot signal the encoder's 1024-sample priming; the last frame is whole.
            #expect(decoded >= total && decoded <= total + 3 * 1024, "aac decoded length \(decoded) of \(total)")
        } else {
            #expect(decoded == total, "\(format) decoded length")
        }
        switch format {
        case .wav:
            let soxCount = try Self.run("sox", ["--i", "-s", file.path]).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Int(soxCount) == total)
        case .flac:
            try Self.run("flac", ["-t", "-s", file.path])
            let info = try Self.run("ffprobe", ["-v", "error", "-show_entries", "stream=duration_ts", "-of", "csv=p=0", file.path])
            #expect(Int(info.trimmingCharacters(in: .whitespacesAndNewlines)) == total, "STREAMINFO total")
        case .opus:
            let info = try Self.run("opusinfo", [file.path])
            #expect(info.contains("Playback length"))
        case .mp3:
            let info = try Self.run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,sample_rate", "-of", "csv=p=0", file.path])
            #expect(info.contains("mp3,24000"))
        case .aac:
            let info = try Self.run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,profile,sample_rate", "-of", "csv=p=0", file.path])
            #expect(info.contains("aac,LC,24000"))
        case .pcm:
            #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int == 2 * total)
        }
    }
}
