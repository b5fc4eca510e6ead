import Foundation

/// A decoder or validator the tests run; a missing one fails the test and names its Debian package.
enum ExternalTool: String, CaseIterable {
    case ffmpeg, ffprobe, sox, flac, opusinfo, opusdec

    /// The Debian package that provides the tool.
    var debianPackage: String {
        switch self {
        case .ffmpeg, .ffprobe: "ffmpeg"
        case .sox: "sox"
        case .flac: "flac"
        case .opusinfo, .opusdec: "opus-tools"
        }
    }

    struct Missing: Error, CustomStringConvertible {
        let tool: ExternalTool
        var description: String {
            "\(tool.rawValue) is not on PATH: install the Debian package '\(tool.debianPackage)' "
                + "(apt-get install -y \(tool.debianPackage)); KoeAudio's tests need ffmpeg sox flac opus-tools"
        }
    }

    struct Failed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        var description: String { "`\(command)` exited with \(status):\n\(output)" }
    }

    /// The executable on PATH, or a ``Missing`` error.
    func locate() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(rawValue)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw Missing(tool: self)
    }

    /// Runs the tool and returns stdout + stderr; throws ``Failed`` on a non-zero exit
    /// unless `allowFailure`.
    @discardableResult
    func run(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        let executable = try locate()
        // Output goes to a file, not a pipe, so a chatty tool can never block on a full pipe.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("koe-tool-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let status = process.terminationStatus
        if status != 0 && !allowFailure {
            throw Failed(command: ([rawValue] + arguments).joined(separator: " "), status: status, output: output)
        }
        return (status, output)
    }
}

/// Decoding through ffmpeg into raw samples.
enum FFmpeg {
    /// Decodes `file` to mono s16le at its native rate (or `rate`); `inputFormat` is for raw input.
    static func decodeInt16(_ file: URL, inputFormat: [String] = [], rate: Int? = nil) throws -> [Int16] {
        let raw = file.deletingPathExtension().appendingPathExtension("decoded.s16")
        var args = ["-v", "error", "-nostdin", "-y"] + inputFormat + ["-i", file.path, "-ac", "1"]
        if let rate { args += ["-ar", String(rate)] }
        try ExternalTool.ffmpeg.run(args + ["-f", "s16le", "-acodec", "pcm_s16le", raw.path])
        return try readLE(raw, as: Int16.self)
    }

    /// Decodes `file` to mono f32le at its native rate.
    static func decodeFloat(_ file: URL) throws -> [Float] {
        let raw = file.deletingPathExtension().appendingPathExtension("decoded.f32")
        try ExternalTool.ffmpeg.run(["-v", "error", "-nostdin", "-y", "-i", file.path, "-f", "f32le", raw.path])
        return try readLE(raw, as: UInt32.self).map { Float(bitPattern: $0) }
    }

    /// Decodes `file` to mono s32le at its native rate (for 24-bit FLAC).
    static func decodeInt32(_ file: URL) throws -> [Int32] {
        let raw = file.deletingPathExtension().appendingPathExtension("decoded.s32")
        try ExternalTool.ffmpeg.run(
            ["-v", "error", "-nostdin", "-y", "-i", file.path, "-f", "s32le", "-acodec", "pcm_s32le", raw.path])
        return try readLE(raw, as: Int32.self)
    }

    /// `key=value` stream fields from ffprobe (codec_name, sample_rate, channels, …).
    static func probe(_ file: URL, inputFormat: [String] = []) throws -> [String: String] {
        let (_, output) = try ExternalTool.ffprobe.run(
            ["-v", "error"] + inputFormat
                + ["-show_entries", "stream=codec_name,sample_rate,channels,bits_per_sample,sample_fmt",
                   "-of", "default=noprint_wrappers=1", file.path])
        var fields: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        return fields
    }

    static func readLE<T: FixedWidthInteger>(_ file: URL, as: T.Type) throws -> [T] {
        let data = try Data(contentsOf: file)
        let size = MemoryLayout<T>.size
        return data.withUnsafeBytes { raw in
            (0..<data.count / size).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * size, as: T.self)) }
        }
    }
}
