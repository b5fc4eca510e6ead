/// Koe's version: the one place it is written (`koe --version`, the server's reports).
public enum KoeVersion {
    public static let current = "0.1.0"
}
