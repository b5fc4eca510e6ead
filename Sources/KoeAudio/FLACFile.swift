import Foundation

/// Fixes for FLAC files written from a stream.
public enum FLACFile {
    /// Writes the total sample count into STREAMINFO of a FLAC file whose total was unknown
    /// when the stream began (libFLAC's streaming encoder cannot seek back to record it).
    ///
    /// STREAMINFO is the first metadata block: after `fLaC` and the 4-byte block header,
    /// bytes 18-25 of the file hold, big-endian, 20 bits of sample rate, 3 of channels − 1,
    /// 5 of bits per sample − 1 and the 36-bit total.
    public static func patchTotalSamples(of url: URL, sampleCount: Int) throws {
        let handle = try FileHandle(forUpdating: url)
        defer { try? handle.close() }
        let head = [UInt8](try handle.read(upToCount: 26) ?? Data())
        guard head.count == 26, head[0..<4].elementsEqual(Array("fLaC".utf8)), head[4] & 0x7F == 0 else {
            throw AudioEncoderError.invalidFLACFile(reason: "no STREAMINFO block at the start")
        }
        guard sampleCount >= 0, UInt64(sampleCount) < (1 << 36) else {
            throw AudioEncoderError.invalidFLACFile(reason: "\(sampleCount) samples do not fit STREAMINFO's 36 bits")
        }
        var packed = head[18..<26].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        packed = (packed & ~((1 << 36) - 1)) | UInt64(sampleCount)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: packed >> (56 - 8 * $0)) }
        try handle.seek(toOffset: 18)
        try handle.write(contentsOf: Data(bytes))
    }
}
