import Foundation
import Hummingbird
import HummingbirdTesting
import Koe
import Logging
@testable import KoeServer
import NIOCore

/// Runs `test` against the app on a fake synthesizer through Hummingbird's router test client.
func withFakeApp<T: Sendable>(
    _ configuration: ServerConfiguration = ServerConfiguration(),
    synthesizer: FakeSynthesizer = FakeSynthesizer(),
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = try buildApplication(configuration: configuration, synthesizer: synthesizer, logger: quietLogger)
    return try await app.test(.router) { client in try await test(client) }
}

/// Route tests log errors only (the access log writes a line per request).
let quietLogger: Logger = {
    var logger = Logger(label: "koe.server.test")
    logger.logLevel = .error
    return logger
}()

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

/// A JSON body from a dictionary literal.
func json(_ object: [String: Any]) -> ByteBuffer {
    ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: object)) ?? Data())
}

extension TestResponse {
    var bytes: [UInt8] { body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [] }
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:] }
    /// OpenAI's error body: (message, type, param, code).
    var apiError: (message: String, type: String, param: String?, code: String?)? {
        guard let e = object["error"] as? [String: Any], let m = e["message"] as? String, let t = e["type"] as? String else { return nil }
        return (m, t, e["param"] as? String, e["code"] as? String)
    }
}

/// Little-endian s16 samples of a byte buffer.
func int16s(_ bytes: ArraySlice<UInt8>) -> [Int16] {
    stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
}

/// The events of an SSE body: the JSON object of each `data:` line.
func sseEvents(_ text: String) -> [[String: Any]] {
    text.components(separatedBy: "\n\n").compactMap { block in
        guard block.hasPrefix("data: ") else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(block.dropFirst(6).utf8))) as? [String: Any]
    }
}
