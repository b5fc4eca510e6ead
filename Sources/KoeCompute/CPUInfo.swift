import Foundation

/// The first processor's model name and flags in `/proc/cpuinfo` (Linux), read once; on other
/// systems no name and no flags.
public enum CPUInfo {
    public static let modelName: String? = fields.model
    public static let flags: Set<String> = fields.flags

    private static var fields: (model: String?, flags: Set<String>) {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return (nil, []) }
        var model: String?
        var flags: Set<String> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            if model == nil, parts[0] == "model name" { model = parts[1] }
            if flags.isEmpty, parts[0] == "flags" { flags = Set(parts[1].split(separator: " ").map(String.init)) }
            if model != nil && !flags.isEmpty { break }
        }
        return (model, flags)
    }
}
