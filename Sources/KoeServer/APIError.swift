import Foundation
import Hummingbird
import Koe
import KoeAudio
import KoeText
import KokoroModel

/// An error in OpenAI's shape, `{"error":{"message","type","param","code"}}`, with its status.
public struct APIError: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    /// OpenAI's error type: `invalid_request_error`, `authentication_error`, `rate_limit_error`, `server_error`.
    public var type: String
    /// The request field at fault, if one is.
    public var param: String?
    public var code: String?
    /// Extra headers (`Retry-After`, `Allow`, `WWW-Authenticate`).
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, message: String, type: String = "invalid_request_error",
                param: String? = nil, code: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    /// 400 for a value that breaks a rule.
    static func badRequest(_ message: String, param: String? = nil, code: String = "invalid_value") -> APIError {
        APIError(status: .badRequest, message: message, param: param, code: code)
    }

    static func busy(retryAfter seconds: Int, message: String) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(seconds)
        return APIError(status: .tooManyRequests, message: message, type: "rate_limit_error",
                        code: "rate_limit_exceeded", headers: headers)
    }

    static func loading(retryAfter seconds: Int) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = String(seconds)
        return APIError(status: .serviceUnavailable, message: "the model is still loading; retry in a moment",
                        type: "server_error", code: "model_loading", headers: headers)
    }

    struct Body: Encodable {
        struct Detail: Encodable {
            var message: String
            var type: String
            var param: String?
            var code: String?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(message, forKey: .message)
                try c.encode(type, forKey: .type)
                try c.encode(param, forKey: .param)  // explicit null, as OpenAI sends
                try c.encode(code, forKey: .code)
            }

            enum CodingKeys: String, CodingKey { case message, type, param, code }
        }
        var error: Detail
    }

    var jsonBody: ByteBuffer {
        let body = Body(error: .init(message: message, type: type, param: param, code: code))
        let data = (try? JSONCoding.encoder.encode(body)) ?? Data(#"{"error":{"message":"error","type":"server_error","param":null,"code":null}}"#.utf8)
        return ByteBuffer(bytes: data)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: jsonBody))
    }
}

extension APIError {
    /// The status for an error from the libraries: bad input is 400 (naming the request field
    /// at fault), a full compute lane 429, anything else 500. Each library fact has one error
    /// case, so each line here is one rule.
    init(library error: any Error) {
        let message = "\(error)"
        switch error {
        case let e as APIError: self = e
        case is ComputeLaneError: self = .busy(retryAfter: 1, message: message)
        case KokoroModelError.unknownVoice, KoeError.badVoiceExpression:
            self = .badRequest(message, param: "voice", code: "invalid_voice")
        case KokoroModelError.speedOutOfRange: self = .badRequest(message, param: "speed")
        case TextError.emptyText, KoeError.noSpeech: self = .badRequest(message, param: "input")
        case TextError.unknownLanguage: self = .badRequest(message, param: "lang_code")
        case let e as KokoroModelError where e.isInputError: self = .badRequest(message, param: "phonemes")
        case KoeError.badChunkLimit: self = .badRequest(message)
        case AudioEncoderError.invalidOption, AudioEncoderError.unsupportedSampleRate:
            self = .badRequest(message, param: "response_format")
        case let e as HTTPError: self = APIError(http: e)
        case let e as any HTTPResponseError: self = APIError(status: e.status, message: e.status.reasonPhrase)
        case is TextError, is KokoroModelError, is AudioEncoderError:
            self = APIError(status: .internalServerError, message: message, type: "server_error")
        default: self = APIError(status: .internalServerError, message: "internal error: \(message)", type: "server_error")
        }
    }

    /// Hummingbird's own errors (no route, body too large) in OpenAI's shape.
    init(http error: HTTPError) {
        let message = error.body ?? {
            switch error.status {
            case .notFound: "no such route"
            case .contentTooLarge: "the request body is too large"
            default: error.status.reasonPhrase
            }
        }()
        let code: String? =
            switch error.status {
            case .notFound: "not_found"
            case .contentTooLarge: "request_too_large"
            default: nil
            }
        self.init(status: error.status, message: message, type: error.status.code >= 500 ? "server_error" : "invalid_request_error",
                  code: code, headers: error.headers)
    }
}

/// One JSON encoder and decoder setup for every route.
enum JSONCoding {
    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return e
    }

    static func buffer(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try encoder.encode(value))
    }

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: try buffer(value)))
    }
}
