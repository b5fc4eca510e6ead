/// Kana → Kokoro's Japanese symbols, as misaki's cutlet path writes them: broad IPA, one
/// value per kana (vowels `a i ɯ e o`, `ɕ ʨ ʦ ʣ ʥ ç ɸ ɲ ɾ β ɡ` and palatal `ʲ`), small kana
/// combined with the kana before them, `ー` as `ː`, `っ` as `ʔ`, and `ん` assimilated to
/// the next kana of the same word (`m`, `ŋ`, `ɲ`, `n`, else `ɴ`).
enum KanaPhonemes {
    /// Values of single kana (hiragana; katakana is folded first).
    static let single: [Character: String] = {
        var table: [Character: String] = [:]
        let rows = """
            ぁa あa ぃi いi ぅɯ うɯ ぇe えe ぉo おo かka がɡa きkʲi ぎɡʲi くkɯ ぐɡɯ けke げɡe こko ごɡo \
            さsa ざʣa しɕi じʥi すsɨ ずzɨ せse ぜʣe そso ぞʣo たta だda ちʨi ぢʥi つʦɨ づzɨ てte でde とto どdo \
            なna にɲi ぬnɯ ねne のno はha ばba ぱpa ひçi びbʲi ぴpʲi ふɸɯ ぶbɯ ぷpɯ へhe べbe ぺpe ほho ぼbo ぽpo \
            まma みmʲi むmɯ めme もmo ゃja やja ゅjɯ ゆjɯ ょjo よjo らɾa りɾʲi るɾɯ れɾe ろɾo ゎβa わβa ゐi ゑe をo \
            ゔvɯ ゕka ゖke ヷva ヸvʲi ヹve ヺvo
            """
        for entry in rows.split(separator: " ") {
            guard let kana = entry.first else { continue }
            table[kana] = String(entry.dropFirst())
        }
        return table
    }()

    /// Values of kana followed by a small kana (the pair reads as one sound).
    static let pairs: [String: String] = {
        var table: [String: String] = [:]
        let rows = """
            いぇje うぃβi うぇβe うぉβo きぇkʲe きゃkʲa きゅkʲɨ きょkʲo ぎゃɡʲa ぎゅɡʲɨ ぎょɡʲo \
            くぁkᵝa くぃkᵝi くぇkᵝe くぉkᵝo ぐぁɡᵝa ぐぃɡᵝi ぐぇɡᵝe ぐぉɡᵝo \
            しぇɕe しゃɕa しゅɕɨ しょɕo じぇʥe じゃʥa じゅʥɨ じょʥo ちぇʨe ちゃʨa ちゅʨɨ ちょʨo \
            ぢゃʥa ぢゅʥɨ ぢょʥo つぁʦa つぃʦʲi つぇʦe つぉʦo てぃtʲi てゅtʲɨ でぃdʲi でゅdʲɨ とぅtɯ どぅdɯ \
            にぇɲe にゃɲa にゅɲɨ にょɲo ひぇçe ひゃça ひゅçɨ ひょço びゃbʲa びゅbʲɨ びょbʲo ぴゃpʲa ぴゅpʲɨ ぴょpʲo \
            ふぁɸa ふぃɸʲi ふぇɸe ふぉɸo ふゅɸʲɨ ふょɸʲo みゃmʲa みゅmʲɨ みょmʲo りゃɾʲa りゅɾʲɨ りょɾʲo \
            ゔぁva ゔぃvʲi ゔぇve ゔぉvo ゔゅbʲɨ ゔょbʲo
            """
        for entry in rows.split(separator: " ") {
            let chars = Array(entry)
            guard chars.count > 2 else { continue }
            table[String(chars[0..<2])] = String(chars[2...])
        }
        return table
    }()

    /// Small kana that combine with the kana before them.
    static let small: Set<Character> = ["ゃ", "ゅ", "ょ", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ"]

    /// Katakana → hiragana (ァ…ヶ and ヽヾ); everything else unchanged.
    static func hiragana(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x30A1 && $0.value <= 0x30FE }) else { return text }
        return String(scalars: text.unicodeScalars.map { s in
            if (0x30A1...0x30F6).contains(s.value) || s.value == 0x30FD || s.value == 0x30FE {
                return Unicode.Scalar(s.value - 0x60) ?? s
            }
            return s
        })
    }

    /// The phonemes of one word's reading (hiragana). Characters that are not kana give
    /// nothing, so the result is always in Kokoro's vocabulary.
    static func phonemes(_ reading: String) -> String {
        let kana = Array(reading)
        var out = ""
        for i in kana.indices {
            out += value(at: i, in: kana)
        }
        return out
    }

    private static func value(at i: Int, in kana: [Character]) -> String {
        let kk = kana[i]
        let pk: Character? = i > 0 ? kana[i - 1] : nil
        let nk: Character? = i + 1 < kana.count ? kana[i + 1] : nil
        switch kk {
        case "ゝ", "ヽ":  // repeat the previous kana
            return pk.flatMap { single[$0] } ?? ""
        case "ゞ", "ヾ":  // repeat it voiced
            return pk.flatMap(voiced).flatMap { single[$0] } ?? ""
        case "々", "〃":  // inside dictionary words UniDic spells these out
            return ""
        default:
            break
        }
        if let pk, let pair = pairs[String([pk, kk])] { return pair }
        if let nk, pairs[String([kk, nk])] != nil { return "" }
        if let nk, small.contains(nk), kk != "っ", let own = single[kk] {
            // An unlisted pair: the small kana replaces the vowel.
            return String(own.dropLast()) + (single[nk] ?? "")
        }
        if small.contains(kk) {
            // Combined with the kana before (unless that has no value: read it full-size).
            if let pk, pk != "っ", single[pk] != nil { return "" }
            return single[kk] ?? ""
        }
        switch kk {
        case "ー": return "ː"
        case "っ": return "ʔ"
        case "ん": return moraicNasal(before: nk.flatMap { single[$0] })
        default: return single[kk] ?? JapaneseSymbols.table[kk] ?? ""
        }
    }

    /// ん before a sound: `m` before m/p/b, `ŋ` before k/ɡ, `ɲ` before ɲ/ʨ/ʥ, `n` before
    /// n/t/d/ɾ/z, `ɴ` otherwise (vowels, s, h, ʣ, … and at the end of a word).
    static func moraicNasal(before next: String?) -> String {
        guard let first = next?.unicodeScalars.first else { return "ɴ" }
        switch first {
        case "m", "p", "b": return "m"
        case "k", "ɡ": return "ŋ"
        case "ɲ", "ʨ", "ʥ": return "ɲ"
        case "n", "t", "d", "ɾ", "z": return "n"
        default: return "ɴ"
        }
    }

    /// The kana with a dakuten (か → が), or nil.
    static func voiced(_ kana: Character) -> Character? {
        let plain = Array("かきくけこさしすせそたちつてとはひふへほ")
        let voiced = Array("がぎぐげござじずぜぞだぢづでどばびぶべぼ")
        return plain.firstIndex(of: kana).map { voiced[$0] }
    }
}
