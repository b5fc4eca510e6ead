import Foundation
import Hummingbird

/// The web page (`/`, `/web`) and its files, shipped in the server's resources.
struct WebRoutes {
    static let files: [String: String] = [
        "index.html": "text/html; charset=utf-8", "style.css": "text/css; charset=utf-8",
        "app.js": "text/javascript; charset=utf-8", "audio.js": "text/javascript; charset=utf-8", "captions.js": "text/javascript; charset=utf-8",
    ]

    func register(on router: Router<KoeRequestContext>) {
        router.get("/") { _, _ in try Self.file("index.html") }
        router.get("/web") { _, _ in try Self.file("index.html") }
        router.get("/web/{file}") { _, context in
            let name = context.parameters.get("file") ?? ""
            guard Self.files[name] != nil else {
                throw APIError(status: .notFound, message: "no file /web/\(name)", code: "not_found")
            }
            return try Self.file(name)
        }
    }

    static func file(_ name: String) throws -> Response {
        guard let type = files[name],
              let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/web"),
              let data = try? Data(contentsOf: url) else {
            throw APIError(status: .internalServerError, message: "the web page's \(name) is missing from the server's resources", type: "server_error")
        }
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
