/// Readings where UniDic's choice is plainly wrong for a Japanese reader.
enum JapaneseReadings {
    /// Family words after the honorific お and before さん, さま, 様 or ちゃん: UniDic reads
    /// お父さん as お・ちち・さん (misaki's `oʨiʨisaɴ`); everyone says おとうさん.
    static let family: [String: String] = [
        "父": "とー", "母": "かー", "兄": "にー", "姉": "ねー", "祖父": "じー", "祖母": "ばー", "爺": "じー", "婆": "ばー",
    ]
    static let honorifics: Set<String> = ["さん", "さま", "様", "ちゃん"]

    static func fix(_ words: inout [JapaneseWord]) {
        guard words.count >= 3 else { return }
        for k in 1..<(words.count - 1) where words[k - 1].surface == "お" && honorifics.contains(words[k + 1].surface) {
            if let reading = family[words[k].surface] { words[k].reading = reading }
        }
    }
}
