import Foundation
import KoeAudio

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written under a temporary name beside its destination and renamed into place
/// by ``commit()``: a failed or interrupted run leaves no partial file behind.
final class PendingFile {
    let destination: URL
    let temporary: URL
    private var handle: FileHandle?

    /// Creates the temporary file now, so an unwritable path fails before any work.
    init(path: String) throws {
        destination = URL(fileURLWithPath: path)
        let dir = destination.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError(message: "cannot write \(path): folder \(dir.path) does not exist")
        }
        if FileManager.default.fileExists(atPath: destination.path, isDirectory: &isDir), isDir.boolValue {
            throw CLIError(message: "cannot write \(path): it is a folder")
        }
        temporary = dir.appendingPathComponent(".\(destination.lastPathComponent).\(getpid()).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw CLIError(message: "cannot write \(path): permission denied in \(dir.path)")
        }
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty, let handle else { return }
        do {
            try handle.write(contentsOf: Data(bytes))
        } catch {
            throw CLIError(message: "cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// Closes the temporary file (it can then be patched in place).
    func close() throws {
        try handle?.close()
        handle = nil
    }

    func commit() throws {
        try close()
        // rename(2) replaces an existing file atomically, in the same folder.
        guard rename(temporary.path, destination.path) == 0 else {
            throw CLIError(message: "cannot write \(destination.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Removes the temporary file; safe to call after ``commit()``.
    func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(at: temporary)
    }

    deinit { discard() }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
struct ProgressBar {
    let enabled: Bool
    private let width = 30

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    func update(fraction: Double, audioSeconds: Double, realTimeFactor: Double) {
        guard enabled else { return }
        let f = min(max(fraction, 0), 1)
        let filled = Int((f * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %3d%%  %.1f s of audio  %.2fx real time ", bar, Int(f * 100), audioSeconds, realTimeFactor)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
