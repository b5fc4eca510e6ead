import KoeCompute

extension WeightManifest {
    /// Everything that differs between extracted tensors and the manifest.
    struct Report: Sendable {
        var missing: [String] = []
        var misShaped: [KokoroModelError.ShapeMismatch] = []
        var unexpected: [String] = []
        /// Expected names that are present (whatever their shape).
        var matched = 0

        var isClean: Bool { missing.isEmpty && misShaped.isEmpty && unexpected.isEmpty }

        var error: KokoroModelError {
            .weights(missing: missing, misShaped: misShaped, unexpected: unexpected)
        }
    }

    /// Compares `tensors` with the manifest. `problems` (nodes whose parameters could not be
    /// resolved) are reported with the unexpected entries, after the unknown tensor names.
    static func check(_ tensors: [String: Tensor], problems: [String] = []) -> Report {
        check(shapes: tensors.mapValues(\.shape), problems: problems)
    }

    static func check(shapes found: [String: [Int]], problems: [String] = []) -> Report {
        var report = Report()
        for (name, shape) in expected {
            guard let actual = found[name] else {
                report.missing.append(name)
                continue
            }
            report.matched += 1
            if actual != shape {
                report.misShaped.append(.init(name: name, expected: shape, actual: actual))
            }
        }
        report.unexpected = found.keys.filter { shapes[$0] == nil }.sorted() + problems
        return report
    }

    /// Fewer than half of the expected tensors found: the file is some other network.
    static func looksLikeAnotherModel(_ report: Report) -> Bool {
        report.matched * 2 < expected.count
    }
}
