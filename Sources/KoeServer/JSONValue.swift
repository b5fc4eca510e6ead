import Foundation

/// A parsed JSON value, so request fields can be checked one by one and a wrong type named
/// precisely ("'speed' must be a number, got a string").
enum JSONValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    /// How the value is named in an error message.
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Parses a request body that must be one JSON object.
    static func object(from bytes: some Collection<UInt8>) throws(APIError) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw .badRequest("the request body is not valid JSON: \(Self.reason(error))", code: "invalid_json")
        }
        guard case .object(let fields) = value else {
            throw .badRequest("the request body must be a JSON object, got \(value.kind)", code: "invalid_json")
        }
        return JSONObject(fields: fields)
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError as NSError?)?.localizedDescription ?? context.debugDescription
        }
        return "\(error)"
    }
}

/// A request body's fields with typed accessors whose errors name the field.
struct JSONObject: Sendable {
    let fields: [String: JSONValue]

    /// A present, non-null field.
    func has(_ key: String) -> Bool {
        if let v = fields[key], v != .null { return true }
        return false
    }

    func string(_ key: String) throws(APIError) -> String? {
        switch fields[key] {
        case nil, .null: return nil
        case .string(let s): return s
        case let other?: throw Self.typeError(key, "a string", other)
        }
    }

    func number(_ key: String) throws(APIError) -> Double? {
        switch fields[key] {
        case nil, .null: return nil
        case .number(let n): return n
        case let other?: throw Self.typeError(key, "a number", other)
        }
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        switch fields[key] {
        case nil, .null: return nil
        case .bool(let b): return b
        case let other?: throw Self.typeError(key, "a boolean", other)
        }
    }

    func object(_ key: String) throws(APIError) -> JSONObject? {
        switch fields[key] {
        case nil, .null: return nil
        case .object(let o): return JSONObject(fields: o)
        case let other?: throw Self.typeError(key, "an object", other)
        }
    }

    func requiredString(_ key: String) throws(APIError) -> String {
        guard let s = try string(key) else {
            throw .badRequest("'\(key)' is required", param: key, code: "missing_required_parameter")
        }
        return s
    }

    static func typeError(_ key: String, _ expected: String, _ got: JSONValue) -> APIError {
        .badRequest("'\(key)' must be \(expected), got \(got.kind)", param: key, code: "invalid_type")
    }
}
