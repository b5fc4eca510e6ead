import Foundation

/// Request and reply lines to and from bytes, with a message for every way a line can be wrong.
public enum LineCodec {
    /// Parses one request line (without its newline).
    public static func request(from line: [UInt8]) throws -> DaemonRequest {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line))
        } catch {
            throw DaemonError.notJSON("cannot parse \(preview(line))")
        }
        guard let fields = object as? [String: Any] else {
            throw DaemonError.notJSON("got \(preview(line)), not an object")
        }
        guard let version = fields["v"] as? Int else {
            throw DaemonError.badRequest("a request needs the protocol version: {\"v\": \(DaemonProtocol.version), …}")
        }
        guard version == DaemonProtocol.version else {
            throw DaemonError.versionMismatch(client: version, daemon: DaemonProtocol.version)
        }
        guard let cmd = fields["cmd"] as? String else {
            throw DaemonError.badRequest("a request needs a command: {\"cmd\": \"say\", …}")
        }
        guard DaemonCommand(rawValue: cmd) != nil else { throw DaemonError.unknownCommand(cmd) }
        do {
            return try JSONDecoder().decode(DaemonRequest.self, from: Data(line))
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw DaemonError.badRequest("field '\(field)' must be a \(type)")
        } catch {
            throw DaemonError.badRequest("bad request: \(error)")
        }
    }

    /// One reply as a line, newline included.
    public static func line(_ reply: DaemonReply) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail; keep a valid line if it does.
        let data = (try? encoder.encode(reply)) ?? Data(#"{"error":"cannot encode the reply","ok":false,"v":1}"#.utf8)
        return Array(data) + [0x0A]
    }

    /// One request as a line, newline included.
    public static func line(_ request: DaemonRequest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(request)) + [0x0A]
    }

    /// Parses one reply line; a reply of another protocol version is reported as such.
    public static func reply(from line: [UInt8]) throws -> DaemonReply {
        if let fields = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
           let version = fields["v"] as? Int, version != DaemonProtocol.version {
            throw DaemonError.versionMismatch(client: DaemonProtocol.version, daemon: version)
        }
        do {
            return try JSONDecoder().decode(DaemonReply.self, from: Data(line))
        } catch {
            throw DaemonError.notJSON("the daemon answered \(preview(line))")
        }
    }

    private static func preview(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(60), as: UTF8.self)
        return "'\(text)\(line.count > 60 ? "…" : "")'"
    }
}
