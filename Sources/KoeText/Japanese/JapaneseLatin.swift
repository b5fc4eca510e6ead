/// Latin letters and other ASCII inside Japanese text.
enum JapaneseLatin {
    /// misaki copies ASCII words unchanged (`AI`, `Wi`), so Kokoro reads the letters it has
    /// symbols for.
    static func phonemes(_ surface: String) -> String {
        surface
    }
}
