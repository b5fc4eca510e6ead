/// Which readings of things that are not plain words the text front end applies. Off, the
/// text is read as its words: the pieces of an address are said one by one with their dots
/// and slashes silent, and a symbol says nothing.
///
/// English honours every switch; the other languages' front ends have no such readings and
/// ignore them. Kokoro-FastAPI's `normalization_options` map onto these (see `koe serve`).
public struct TextNormalization: Sendable, Codable, Equatable, Hashable {
    /// Web addresses (`example.com`, `https://koe.dev/docs`) read with "dot" and "slash".
    public var urls: Bool
    /// E-mail addresses (`ada@example.com`) read with "at" and "dot".
    public var emails: Bool
    /// `%`, `&`, `+` and `@` outside addresses read as "percent", "and", "plus", "at".
    public var symbols: Bool

    public init(urls: Bool = true, emails: Bool = true, symbols: Bool = true) {
        self.urls = urls
        self.emails = emails
        self.symbols = symbols
    }

    /// Every reading on (misaki's behaviour).
    public static let `default` = TextNormalization()
    /// Every reading off.
    public static let none = TextNormalization(urls: false, emails: false, symbols: false)
}
