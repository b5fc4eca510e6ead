/// An inline override written as a Markdown link, as misaki and Kokoro-FastAPI read them:
/// `[Kokoro](/kˈOkəɹO/)` forces phonemes, `[word](+1)`, `[word](-1)`, `[word](0.5)` nudge
/// stress, `[1990](#a#)`-style flags change number reading.
enum InlineOverride: Equatable, Sendable {
    case phonemes(String)
    case stress(Double)
    case numberFlags(String)

    /// Parses the part in parentheses; nil when it is not an override (the link text is then
    /// read normally and the target dropped, as misaki does).
    init?(target f: String) {
        let scalars = Array(f.unicodeScalars)
        let signless = f.hasPrefix("-") || f.hasPrefix("+") ? String(f.dropFirst()) : f
        if signless.isASCIIDigits, let value = Int(f.hasPrefix("+") ? signless : f) {
            self = .stress(Double(value))
        } else if f == "0.5" || f == "+0.5" {
            self = .stress(0.5)
        } else if f == "-0.5" {
            self = .stress(-0.5)
        } else if scalars.count > 1, scalars.first == "/", scalars.last == "/" {
            var body = scalars.dropFirst()
            while body.last == "/" { body = body.dropLast() }
            self = .phonemes(String(scalars: body))
        } else if scalars.count > 1, scalars.first == "#", scalars.last == "#" {
            var body = scalars.dropFirst()
            while body.last == "#" { body = body.dropLast() }
            self = .numberFlags(String(scalars: body))
        } else {
            return nil
        }
    }
}

/// An override and the range of the working text it applies to.
struct OverrideSpan: Equatable {
    var range: Range<Int>
    var override: InlineOverride
}

/// The input text as code points, with override links reduced to their link text.
/// `origin[i]` is the offset in the original input of working scalar `i`, so word ranges
/// can be reported in the user's own text.
struct PreparedText {
    var scalars: [Unicode.Scalar]
    var origin: [Int]
    var overrides: [OverrideSpan]

    /// Reduces `[text](target)` links to `text` (misaki's `preprocess`). Linear: each
    /// bracket is examined once.
    init(_ input: String) {
        let source = Array(input.unicodeScalars)
        scalars = []
        origin = []
        overrides = []
        scalars.reserveCapacity(source.count)
        origin.reserveCapacity(source.count)
        var i = 0
        var searchLinks = true
        while i < source.count {
            if searchLinks, source[i] == "[" {
                switch Self.link(in: source, at: i) {
                case .found(let textRange, let targetRange, let end):
                    let target = String(scalars: source[targetRange])
                    let start = scalars.count
                    for k in textRange {
                        scalars.append(source[k])
                        origin.append(k)
                    }
                    if let override = InlineOverride(target: target) {
                        overrides.append(OverrideSpan(range: start..<scalars.count, override: override))
                    }
                    i = end
                    continue
                case .notHere(let resume):
                    for k in i..<resume {
                        scalars.append(source[k])
                        origin.append(k)
                    }
                    i = resume
                    continue
                case .noneAfter:
                    searchLinks = false
                }
            }
            scalars.append(source[i])
            origin.append(i)
            i += 1
        }
    }

    private enum LinkSearch {
        case found(text: Range<Int>, target: Range<Int>, end: Int)
        /// No link starts before `resume`.
        case notHere(resume: Int)
        /// No link can start anywhere later.
        case noneAfter
    }

    private static func link(in s: [Unicode.Scalar], at open: Int) -> LinkSearch {
        // `[^\]]+` runs to the first `]`, so every `[` before that `]` shares its fate, and
        // the link text of the leftmost match may itself contain `[`.
        guard let close = s[(open + 1)...].firstIndex(of: "]") else { return .noneAfter }
        guard close > open + 1 else { return .notHere(resume: open + 1) }
        guard close + 1 < s.count, s[close + 1] == "(" else { return .notHere(resume: close + 1) }
        guard let end = s[(close + 2)...].firstIndex(of: ")") else { return .noneAfter }
        return .found(text: (open + 1)..<close, target: (close + 2)..<end, end: end + 1)
    }

    /// The original code-point range of a working-text range.
    func originalRange(_ range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else {
            let at = range.lowerBound < origin.count ? origin[range.lowerBound] : (origin.last.map { $0 + 1 } ?? 0)
            return at..<at
        }
        return origin[range.lowerBound]..<(origin[range.upperBound - 1] + 1)
    }
}
