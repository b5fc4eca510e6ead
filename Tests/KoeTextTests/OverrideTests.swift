import Foundation
import Testing
@testable import KoeText

@Suite("Overrides and user lexicon")
struct OverrideTests {
    @Test(arguments: [
        Case("[Kokoro](/kˈOkəɹO/) is a model.", "kˈOkəɹO ɪz ɐ mˈɑdᵊl."),
        Case("I [read](/ɹˈɛd/) it.", "ˌI ɹˈɛd ɪt."),
        // Stress nudges and unknown targets keep the link text.
        Case("[to](+2) be", "tˈə bˈi"),
        Case("Say [hello](https://x.org) now.", "sˈA həlˈO nˈW."),
        // Not links: an unbalanced bracket is a pause mark (misaki passes "[" to espeak-ng,
        // and Kokoro has no token for it).
        Case("An [unclosed bracket and (parens).", "ɐn (ˌʌnklˈOzd bɹˈækət ænd (pˈɛɹɛnz)."),
    ])
    func inlineOverrides(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test func linkSyntaxIsRemovedButOffsetsPointIntoTheOriginal() {
        let prepared = PreparedText("a [bc](/x/) d")
        #expect(String(scalars: prepared.scalars) == "a bc d")
        #expect(prepared.overrides == [OverrideSpan(range: 2..<4, override: .phonemes("x"))])
        #expect(prepared.originalRange(2..<4) == 3..<5)
        #expect(prepared.originalRange(5..<6) == 12..<13)
    }

    @Test func userLexiconOverridesEverything() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("koe-text-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("user.tsv")
        try "# my words\nkokoro\tkˈOkəɹO\nthe  ðˈi\nNASA nˈɑsə\n".write(to: file, atomically: true, encoding: .utf8)
        let g2p = try G2P(language: .americanEnglish, userLexicon: file)
        let result = try g2p.phonemize("Kokoro and the NASA team.")
        #expect(result.phonemes == "kˈOkəɹO ænd ðˈi nˈɑsə tˈim.")
        #expect(result.words.first?.text == "Kokoro")

        let json = directory.appendingPathComponent("user.json")
        try #"{"Kokoro": "kˈOkəɹO"}"#.write(to: json, atomically: true, encoding: .utf8)
        #expect(try G2P(language: .britishEnglish, userLexicon: json).phonemize("Kokoro!").phonemes == "kˈOkəɹO!")
    }

    @Test func malformedUserLexiconSaysWhichLine() throws {
        #expect(throws: TextError.userLexiconMalformed(path: "x", line: 2, reason: "no phonemes after \"lonely\"")) {
            try UserLexicon(parsing: "ok\tˈOkA\nlonely\n", path: "x")
        }
    }
}

@Suite("Languages")
struct LanguageTests {
    @Test(arguments: [
        ("af_heart", KoeLanguage.americanEnglish), ("bm_george", .britishEnglish), ("ef_dora", .spanish),
        ("ff_siwis", .french), ("hf_alpha", .hindi), ("if_sara", .italian), ("pm_alex", .portuguese),
    ])
    func voiceNamePicksTheLanguage(_ voice: String, _ language: KoeLanguage) {
        #expect(KoeLanguage(voiceName: voice) == language)
    }

    @Test func unsupportedVoicesAndCodes() {
        #expect(KoeLanguage(voiceName: "jf_alpha") == .japanese)
        #expect(KoeLanguage(voiceName: "") == nil)
        #expect(KoeLanguage(code: "en-gb") == .britishEnglish)
        #expect(KoeLanguage(code: "x") == nil)
        #expect(throws: TextError.unknownLanguage("z")) { try G2P(voice: "zf_xiaobei") }
    }

    // misaki's EspeakG2P output (espeak-ng 1.52), which Kokoro uses for these languages.
    @Test(arguments: [
        (KoeLanguage.french, "Bonjour, je m'appelle Marie. J'ai 25 ans.", "bɔ̃ʒˈuʁ, ʒə mapˈɛl maʁˈi. ʒe vɛ̃tsˈɛ̃k ˈɑ̃."),
        (.french, "Les enfants sont allés à l'école (hier).", "lez ɑ̃fˈɑ̃ sˈɔ̃t alˈez a lekˈɔl (jˈɛʁ)."),
        (.spanish, "El niño comió pan y agua.", "el nˈiɲo komjˈo pˈan i ˈaɣwa."),
        (.italian, "Ciao, come stai?", "ʧˈao, kˌome stˈaj?"),
        (.portuguese, "Olá, tudo bem com você?", "olˈa, tˈudʊ bˈAŋ koŋ vosˈe?"),
        (.hindi, "नमस्ते, आप कैसे हैं?", "nəmˈʌsteː, ˌaːp kˈɛːseː hɛ̃?"),
    ])
    func espeakLanguages(_ language: KoeLanguage, _ text: String, _ expected: String) throws {
        #expect(try Fixtures.phonemes(text, language) == expected)
    }

    @Test func numbersReadAsSeveralWordsStillMapToTheirWord() throws {
        let result = try Fixtures.g2p(.spanish).phonemize("Tengo 1998 razones.")
        #expect(result.words.map(\.text) == ["Tengo", "1998", "razones"])
        #expect(result.words[1].phonemes.contains(" "))
    }
}
