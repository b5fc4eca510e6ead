import ArgumentParser
import Foundation
import KokoroModel
import Logging

/// Process-wide setup, done once by the executable.
enum CLI {
    nonisolated(unsafe) private static var bootstrapped = false

    static func logger(_ options: ModelOptions) -> Logger {
        let level = options.logLevel
            ?? ProcessInfo.processInfo.environment["KOE_LOG_LEVEL"].flatMap { Logger.Level(argument: $0) } ?? .warning
        if !bootstrapped {
            bootstrapped = true
            LoggingSystem.bootstrap { label in
                var h = StreamLogHandler.standardError(label: label)
                h.logLevel = level
                return h
            }
        }
        var logger = Logger(label: "koe")
        logger.logLevel = level
        return logger
    }

    static func loadEngine(_ options: ModelOptions, logger: Logger) throws -> KokoroEngine {
        try KokoroEngine(files: options.files(), logger: logger)
    }

    /// Writes `bytes` to `path` atomically: a failed run leaves no partial file behind.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError(message: "cannot write \(path): folder \(dir.path) does not exist")
        }
        do {
            try Data(bytes).write(to: url, options: .atomic)
        } catch {
            throw CLIError(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Runs a library check in `validate()`: its error becomes a usage error, with its message.
    static func validating(_ check: () throws -> Void) throws {
        do { try check() } catch { throw ValidationError("\(error)") }
    }
}

/// Errors from the libraries, shown as plain messages with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ error: Error) { description = (error as? CLIError)?.description ?? "\(error)" }
    init(message: String) { description = message }
}
