import Foundation

/// What can go wrong while encoding audio.
public enum AudioEncoderError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The format cannot carry this sample rate.
    case unsupportedSampleRate(format: AudioFormat, sampleRate: Int, supported: [Int])
    /// An option is out of range for the format.
    case invalidOption(name: String, value: String, rule: String)
    /// The codec library refused to start; `code` is the library's own status code.
    case encoderInitFailed(library: String, code: Int, message: String)
    /// The codec library failed while encoding; `code` is the library's own status code.
    case encodingFailed(library: String, code: Int, message: String)
    /// ``AudioEncoder/encode(_:)`` was called after ``AudioEncoder/finish()``.
    case alreadyFinished(format: AudioFormat)
    /// The header announced `expected` samples (``AudioEncoderOptions/expectedSampleCount``)
    /// but `actual` were encoded.
    case sampleCountMismatch(expected: Int, actual: Int)
    /// A WAV file to patch is not one this library can read.
    case invalidWAVFile(reason: String)
    /// A FLAC file to patch is not one this library wrote.
    case invalidFLACFile(reason: String)

    public var description: String {
        switch self {
        case let .unsupportedSampleRate(format, rate, supported):
            let list = supported.map(String.init).joined(separator: ", ")
            return "\(format.rawValue) cannot encode \(rate) Hz audio; supported rates: \(list)"
        case let .invalidOption(name, value, rule):
            return "invalid encoder option \(name) = \(value): \(rule)"
        case let .encoderInitFailed(library, code, message):
            return "\(library) encoder failed to start (code \(code)): \(message)"
        case let .encodingFailed(library, code, message):
            return "\(library) failed while encoding (code \(code)): \(message)"
        case let .alreadyFinished(format):
            return "the \(format.rawValue) encoder is finished; make a new one for another stream"
        case let .sampleCountMismatch(expected, actual):
            return "the header announced \(expected) samples but \(actual) were encoded"
        case let .invalidWAVFile(reason):
            return "not a patchable WAV file: \(reason)"
        case let .invalidFLACFile(reason):
            return "not a patchable FLAC file: \(reason)"
        }
    }

    public var errorDescription: String? { description }
}
