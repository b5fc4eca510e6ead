import Foundation

/// The OpenAPI 3.1 description of every route, shipped as `Resources/openapi.json`, with the
/// server's own input limit written in.
enum OpenAPIDocument {
    /// The limit as written in the shipped document; replaced by the configured one.
    static let documentedLimit = 4096

    static func json(maxInputCharacters: Int) throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw APIError(status: .internalServerError, message: "openapi.json is missing from the server's resources", type: "server_error")
        }
        let text = try String(contentsOf: url, encoding: .utf8)
        guard maxInputCharacters != documentedLimit else { return Array(text.utf8) }
        return Array(text.replacingOccurrences(of: "\"maxLength\": \(documentedLimit)", with: "\"maxLength\": \(maxInputCharacters)").utf8)
    }
}
