import Foundation
import Hummingbird
import Logging
import NIOCore

/// One log line and one metrics sample per request, written when the response body ends
/// (so a stream's line carries its whole duration and size).
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = KoeRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = DispatchTime.now().uptimeNanoseconds
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try APIError(library: error).response(from: request, context: context)
        }
        let status = response.status.code
        let route = Routes.label(for: request.uri.path, method: request.method)
        let method = request.method.rawValue
        let path = request.uri.path
        let logger = context.logger
        let metrics = state.metrics
        let bytes = ByteCounter()
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            func done(_ outcome: String) {
                let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
                metrics.request(route: route, method: method, status: status)
                logger.info("\(method) \(path) \(status)", metadata: [
                    "ms": "\(String(format: "%.1f", ms))", "bytes": "\(bytes.value)", "body": "\(outcome)",
                ])
            }
            do {
                try await body.write(CountingWriter(base: writer, counter: bytes))
                done("complete")
            } catch {
                done("cut short: \(error)")
                throw error
            }
        }
        return response
    }
}

/// Every error becomes OpenAI's JSON shape; a known path asked with the wrong method is 405.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = KoeRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let allowed = Routes.methods(for: request.uri.path), !allowed.contains(request.method) {
                var headers = HTTPFields()
                headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                throw APIError(status: .methodNotAllowed,
                               message: "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(allowed.map(\.rawValue).joined(separator: " or "))",
                               code: "method_not_allowed", headers: headers)
            }
            throw APIError(status: .notFound, message: "no route \(request.method.rawValue) \(request.uri.path)", code: "not_found")
        } catch {
            throw APIError(library: error)
        }
    }
}

/// With an API key configured, every route but `/health` needs `Authorization: Bearer <key>`.
struct APIKeyMiddleware: RouterMiddleware {
    typealias Context = KoeRequestContext
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The page itself holds no data; what it fetches needs the key like any client.
        let path = request.uri.path
        if path == "/health" || path == "/" || path == "/web" || path.hasPrefix("/web/") { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let prefix = "Bearer "
        guard header.hasPrefix(prefix), Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(key.utf8)) else {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = "Bearer"
            throw APIError(status: .unauthorized,
                           message: header.isEmpty ? "this server needs an API key: send Authorization: Bearer <key>" : "incorrect API key",
                           type: "authentication_error", code: "invalid_api_key", headers: headers)
        }
        return try await next(request, context)
    }

    /// Compares without an early exit, so timing does not reveal how much of the key matched.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for k in 0..<max(a.count, b.count) {
            diff |= (k < a.count ? a[k] : 0) ^ (k < b.count ? b[k] : 0)
        }
        return diff == 0
    }
}

/// Bytes a response has written so far.
final class ByteCounter: @unchecked Sendable {
    // Guarded by `lock`.
    private var count = 0
    private let lock = NSLock()

    func add(_ n: Int) {
        lock.withLock { count += n }
    }

    var value: Int {
        lock.withLock { count }
    }
}

/// Passes writes through, counting their bytes.
struct CountingWriter: ResponseBodyWriter {
    var base: any ResponseBodyWriter
    let counter: ByteCounter

    mutating func write(_ buffer: ByteBuffer) async throws {
        counter.add(buffer.readableBytes)
        try await base.write(buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await base.finish(trailingHeaders)
    }
}
