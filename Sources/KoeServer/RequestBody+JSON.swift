import Hummingbird
import NIOCore

extension Request {
    /// The largest body a route reads (Hummingbird's default upload limit).
    static let maxBodyBytes = 2 << 20

    /// The body as one JSON object: 415 for another content type, 413 past the size limit,
    /// 400 for malformed JSON.
    func jsonObject() async throws -> JSONObject {
        if let type = headers[.contentType] {
            let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard mediaType == "application/json" || mediaType.hasSuffix("+json") else {
                throw APIError(status: .unsupportedMediaType,
                               message: "the body must be JSON: send Content-Type: application/json (got \(type))",
                               code: "unsupported_media_type")
            }
        }
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError(status: .contentTooLarge, message: "the request body is larger than \(Self.maxBodyBytes) bytes",
                           code: "request_too_large")
        }
        return try JSONValue.object(from: buffer.readableBytesView)
    }
}
