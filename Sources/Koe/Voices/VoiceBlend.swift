import Foundation
import KoeCompute
import KokoroModel

/// A voice named by an expression in Kokoro-FastAPI's syntax: a single name (`af_heart`),
/// an equal blend (`af_heart+af_bella`), weighted terms (`af_heart(2)+af_bella(1)`) and
/// subtraction (`af_heart-af_bella`).
///
/// Every weight is divided by the sum of all weights, so `a(2)+b(1)` is two thirds of `a`
/// and one third of `b`, and `a-b` is `a/2 − b/2`; then the style tables are added or
/// subtracted row by row.
public struct VoiceBlend: Sendable, Equatable, CustomStringConvertible {
    public struct Term: Sendable, Equatable {
        public var name: String
        public var weight: Float
        /// +1 for an added voice, −1 for a subtracted one.
        public var sign: Float
    }

    public var terms: [Term]

    /// Parses a voice expression.
    /// - Throws: ``KoeError/badVoiceExpression(_:reason:)`` naming what is wrong.
    public init(_ expression: String) throws {
        let text = expression.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw KoeError.badVoiceExpression(expression, reason: "it is empty") }
        var terms: [Term] = []
        var sign: Float = 1
        var current = ""
        func close(_ nextSign: Float) throws {
            terms.append(try Self.term(current, sign: sign, expression: expression))
            current = ""
            sign = nextSign
        }
        var depth = 0
        for ch in text {
            switch ch {
            case "(": depth += 1; current.append(ch)
            case ")": depth -= 1; current.append(ch)
            case "+" where depth == 0: try close(1)
            case "-" where depth == 0: try close(-1)
            default: current.append(ch)
            }
        }
        try close(1)
        self.terms = terms
    }

    private static func term(_ raw: String, sign: Float, expression: String) throws -> Term {
        let part = raw.trimmingCharacters(in: .whitespaces)
        guard !part.isEmpty else { throw KoeError.badVoiceExpression(expression, reason: "a voice name is missing around + or -") }
        guard let open = part.firstIndex(of: "(") else {
            try checkName(part, expression: expression)
            return Term(name: part, weight: 1, sign: sign)
        }
        guard part.hasSuffix(")") else { throw KoeError.badVoiceExpression(expression, reason: "'\(part)' does not close its weight with )") }
        let name = part[..<open].trimmingCharacters(in: .whitespaces)
        let weightText = part[part.index(after: open)..<part.index(before: part.endIndex)].trimmingCharacters(in: .whitespaces)
        guard let weight = Float(weightText), weight.isFinite, weight > 0 else {
            throw KoeError.badVoiceExpression(expression, reason: "weight '\(weightText)' of '\(name)' is not a positive number")
        }
        try checkName(name, expression: expression)
        return Term(name: name, weight: weight, sign: sign)
    }

    private static func checkName(_ name: String, expression: String) throws {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else {
            throw KoeError.badVoiceExpression(expression, reason: "'\(name)' is not a voice name")
        }
    }

    /// Whether the expression is one voice at full weight (no blending needed).
    public var isSingleVoice: Bool { terms.count == 1 && terms[0].sign > 0 }

    /// The first voice named, whose language is the blend's language.
    public var primaryName: String { terms[0].name }

    public var description: String {
        var out = ""
        for (i, t) in terms.enumerated() {
            if i > 0 { out += t.sign > 0 ? "+" : "-" }
            out += t.weight == 1 ? t.name : "\(t.name)(\(t.weight))"
        }
        return out
    }

    /// The blended style table `[rows, 256]` (rows: the shortest of the blended tables).
    /// - Throws: `KokoroModelError.unknownVoice` for a name not in `pack`.
    public func styleTable(from pack: VoicePack) throws -> Tensor {
        var tables: [Tensor] = []
        for t in terms {
            tables.append(try pack.table(for: t.name))
        }
        if isSingleVoice { return tables[0] }
        let total = terms.reduce(Float(0)) { $0 + $1.weight }
        let rows = tables.map { $0.shape[0] }.min() ?? 1
        let width = VoicePack.styleWidth
        var out = [Float](repeating: 0, count: rows * width)
        for (t, table) in zip(terms, tables) {
            let scale = t.sign * t.weight / total
            for k in 0..<(rows * width) { out[k] += scale * table.data[k] }
        }
        return Tensor(shape: [rows, width], data: out)
    }

    /// The engine's voice for this expression: a loaded voice by its name, or the blended
    /// style table. Every name is checked against `pack`.
    public func engineVoice(in pack: VoicePack) throws -> KokoroEngine.Voice {
        let table = try styleTable(from: pack)
        return isSingleVoice ? .named(primaryName) : .style(table)
    }
}
