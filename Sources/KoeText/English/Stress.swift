/// Stress marks and misaki's stress arithmetic. Marks sit directly before the vowel of
/// their syllable (`həlˈO`), and a "stress level" moves a word's marks up or down.
enum Stress {
    static let primary: Unicode.Scalar = "ˈ"
    static let secondary: Unicode.Scalar = "ˌ"
    static let vowels: Set<Unicode.Scalar> = Set("AIOQWYaiuæɑɒɔəɛɜɪʊʌᵻ".unicodeScalars)
    static let consonants: Set<Unicode.Scalar> = Set("bdfhjklmnpstvwzðŋɡɹɾʃʒʤʧθ".unicodeScalars)
    /// Diphthongs and affricates weigh two when deciding which pieces of a compound keep stress.
    static let heavy: Set<Unicode.Scalar> = Set("AIOQWYʤʧ".unicodeScalars)

    /// Applies a stress level (misaki's `apply_stress`):
    /// below −1 removes all marks; −1, or 0/−0.5 on a word with a primary, demotes primaries;
    /// 0/0.5/1 on an unmarked word adds a secondary; ≥1 promotes a lone secondary;
    /// above 1 on an unmarked word adds a primary.
    static func apply(_ phonemes: String, _ level: Double?) -> String {
        guard let level else { return phonemes }
        let scalars = phonemes.unicodeScalars
        let hasPrimary = scalars.contains(primary)
        let hasSecondary = scalars.contains(secondary)
        if level < -1 {
            return String(scalars: scalars.filter { $0 != primary && $0 != secondary })
        }
        if level == -1 || ((level == 0 || level == -0.5) && hasPrimary) {
            return String(scalars: scalars.compactMap { $0 == secondary ? nil : ($0 == primary ? secondary : $0) })
        }
        if (level == 0 || level == 0.5 || level == 1) && !hasPrimary && !hasSecondary {
            guard scalars.contains(where: vowels.contains) else { return phonemes }
            return restress([secondary] + Array(scalars))
        }
        if level >= 1 && !hasPrimary && hasSecondary {
            return String(scalars: scalars.map { $0 == secondary ? primary : $0 })
        }
        if level > 1 && !hasPrimary && !hasSecondary {
            guard scalars.contains(where: vowels.contains) else { return phonemes }
            return restress([primary] + Array(scalars))
        }
        return phonemes
    }

    /// Moves every stress mark to just before the next vowel.
    static func restress(_ scalars: [Unicode.Scalar]) -> String {
        var keyed: [(position: Double, scalar: Unicode.Scalar)] = []
        keyed.reserveCapacity(scalars.count)
        for (i, s) in scalars.enumerated() {
            if s == primary || s == secondary,
               let j = scalars[i...].firstIndex(where: vowels.contains) {
                keyed.append((Double(j) - 0.5, s))
            } else {
                keyed.append((Double(i), s))
            }
        }
        // Stable: equal positions keep their order.
        let sorted = keyed.enumerated().sorted { a, b in
            a.element.position != b.element.position ? a.element.position < b.element.position : a.offset < b.offset
        }
        return String(scalars: sorted.map(\.element.scalar))
    }

    /// misaki's `stress_weight`: phoneme count with diphthongs and affricates counting two.
    static func weight(_ phonemes: String) -> Int {
        phonemes.unicodeScalars.reduce(0) { $0 + (heavy.contains($1) ? 2 : 1) }
    }

    static func hasPrimary(_ phonemes: String) -> Bool { phonemes.unicodeScalars.contains(primary) }
}
