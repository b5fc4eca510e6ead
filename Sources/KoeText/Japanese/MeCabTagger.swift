import CMeCab
import Foundation

/// One morpheme as MeCab with UniDic sees it.
struct MeCabToken: Equatable {
    /// The token's text.
    var surface: String
    /// Where the surface sits in the tagged text, in Unicode scalars (end exclusive).
    var range: Range<Int>
    /// UniDic's pronunciation (発音形, field 9: long vowels as ー, は particle as ワ), or nil.
    var pron: String?
    /// UniDic's kana reading (仮名形, field 17), or nil.
    var kana: String?
    /// UniDic's first part-of-speech field (名詞, 助詞, 補助記号, …), or nil.
    var partOfSpeech: String?
    /// MeCab's character class of the token's first character (unidic-lite's char.def:
    /// 2 kanji, 3 symbol, 4 numeric, 5 alpha, 6 hiragana, 7 katakana, …).
    var charType: Int
    /// Whether the word is not in the dictionary (MeCab's unknown-word node).
    var isUnknown: Bool
}

/// MeCab (libmecab) over the UniDic dictionary of `unidic-lite`, as fugashi opens it.
///
/// A MeCab tagger is not safe for concurrent use, so each instance serialises its calls;
/// create one per front end and share it.
final class MeCabTagger: Sendable {
    /// The dictionary folder (`sys.dic`, `unk.dic`, `matrix.bin`, `char.bin`, `dicrc`).
    let dictionary: URL
    private let tagger: Handle
    private let lock = NSLock()

    /// The C tagger, owned by this wrapper and destroyed with it; only used under `lock`.
    private final class Handle: @unchecked Sendable {
        let pointer: OpaquePointer
        init(_ pointer: OpaquePointer) { self.pointer = pointer }
        deinit { mecab_destroy(pointer) }
    }

    /// Opens MeCab over the dictionary folder `dictionary`.
    /// - Throws: ``TextError/dictionaryMissing(path:)`` when the folder has no `sys.dic`,
    ///   ``TextError/tokenizerUnavailable(reason:)`` when MeCab cannot open it.
    init(dictionary: URL) throws {
        let sys = dictionary.appendingPathComponent("sys.dic")
        guard FileManager.default.fileExists(atPath: sys.path) else {
            throw TextError.dictionaryMissing(path: dictionary.path)
        }
        self.dictionary = dictionary
        // An empty resource file: everything MeCab needs is in the dictionary's own dicrc.
        let rc = dictionary.appendingPathComponent("mecabrc")
        let rcPath = FileManager.default.fileExists(atPath: rc.path) ? rc.path : "/dev/null"
        let arguments = ["mecab", "-r", rcPath, "-d", dictionary.path]
        var cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        let created = cStrings.withUnsafeMutableBufferPointer { buffer in
            // Safety: MeCab reads argv during the call only; the strings outlive it.
            mecab_new(Int32(buffer.count), buffer.baseAddress)
        }
        guard let created else {
            let reason = mecab_strerror(nil).map { String(cString: $0) } ?? "unknown error"
            throw TextError.tokenizerUnavailable(reason: "MeCab could not open \(dictionary.path): \(reason)")
        }
        tagger = Handle(created)
    }

    /// The tokens of `text` in order. Whitespace is skipped (it separates tokens).
    func tokenize(_ text: String) -> [MeCabToken] {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        // Byte offset → scalar offset, to report ranges in scalars.
        var scalarAt = [Int](repeating: 0, count: bytes.count + 1)
        var scalar = 0
        for (k, b) in bytes.enumerated() {
            if b & 0xC0 != 0x80, k > 0 { scalar += 1 }
            scalarAt[k] = scalar
        }
        scalarAt[bytes.count] = bytes.isEmpty ? 0 : scalar + 1
        return lock.withLock {
            let handle = tagger
            var tokens: [MeCabToken] = []
            bytes.withUnsafeBufferPointer { buffer in
                // Safety: every node's surface points into `buffer` (MeCab does not copy the
                // input), which stays alive until the walk ends; lengths are MeCab's own.
                guard let base = buffer.baseAddress else { return }
                let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
                var node = mecab_sparse_tonode2(handle.pointer, start, buffer.count)
                while let current = node {
                    let n = current.pointee
                    node = UnsafePointer(n.next)
                    guard n.stat != UInt8(MECAB_BOS_NODE), n.stat != UInt8(MECAB_EOS_NODE), let surface = n.surface else { continue }
                    let offset = surface - start
                    let length = Int(n.length)
                    guard offset >= 0, length > 0, offset + length <= buffer.count else { continue }
                    let text = String(decoding: buffer[offset..<(offset + length)], as: UTF8.self)
                    let fields = n.feature.map { Self.fields(String(cString: $0)) } ?? []
                    tokens.append(MeCabToken(
                        surface: text, range: scalarAt[offset]..<scalarAt[offset + length],
                        pron: Self.field(fields, 9), kana: Self.field(fields, 17), partOfSpeech: Self.field(fields, 0),
                        charType: Int(n.char_type), isUnknown: n.stat == UInt8(MECAB_UNK_NODE)))
                }
            }
            return tokens
        }
    }

    /// A feature field, nil when absent, empty or `*`.
    private static func field(_ fields: [String], _ index: Int) -> String? {
        guard index < fields.count else { return nil }
        let value = fields[index]
        return value.isEmpty || value == "*" ? nil : value
    }

    /// Splits a UniDic feature string at commas; a field in double quotes may hold commas.
    static func fields(_ feature: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        for c in feature {
            if c == "\"" {
                quoted.toggle()
            } else if c == ",", !quoted {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
