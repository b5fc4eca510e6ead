import Hummingbird

/// Every route the server answers, by path: the 405 check and the metrics labels use it.
enum Routes {
    static let table: [(path: String, methods: [HTTPRequest.Method])] = [
        ("/v1/audio/speech", [.post]),
        ("/v1/audio/captioned_speech", [.post]),
        ("/dev/captioned_speech", [.post]),
        ("/v1/audio/voices", [.get]),
        ("/v1/models", [.get]),
        ("/v1/models/{id}", [.get]),
        ("/dev/phonemize", [.post]),
        ("/dev/generate_from_phonemes", [.post]),
        ("/health", [.get]),
        ("/ready", [.get]),
        ("/metrics", [.get]),
        ("/openapi.json", [.get]),
        ("/", [.get]),
        ("/web", [.get]),
        ("/web/{file}", [.get]),
    ]

    /// The route pattern a path matches, if any.
    static func pattern(for path: String) -> String? {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if let exact = table.first(where: { $0.path == trimmed }) { return exact.path }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 4, parts[1] == "v1", parts[2] == "models", !parts[3].isEmpty { return "/v1/models/{id}" }
        if parts.count == 3, parts[1] == "web", !parts[2].isEmpty { return "/web/{file}" }
        return nil
    }

    static func methods(for path: String) -> [HTTPRequest.Method]? {
        pattern(for: path).flatMap { p in table.first { $0.path == p }?.methods }
    }

    /// A bounded label for metrics: the route pattern, or `unmatched`.
    static func label(for path: String, method: HTTPRequest.Method) -> String {
        guard let pattern = pattern(for: path), let methods = methods(for: path), methods.contains(method) else { return "unmatched" }
        return pattern
    }
}
