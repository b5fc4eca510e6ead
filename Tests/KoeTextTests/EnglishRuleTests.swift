import Testing
@testable import KoeText

// One test per normalisation rule, with misaki 0.9.4's own output as the expectation
// (checked with ../shared/g2p/setup_misaki.sh). Where Koe deliberately differs, the case says why.

struct Case: CustomTestStringConvertible, Sendable {
    let text: String
    let phonemes: String
    init(_ text: String, _ phonemes: String) {
        self.text = text
        self.phonemes = phonemes
    }
    var testDescription: String { text }
}

@Suite("English numbers")
struct NumberRuleTests {
    @Test("cardinals, ordinals, decimals, negatives", arguments: [
        Case("I have 3 cats.", "ˌI hæv θɹˈi kˈæts."),
        Case("There were 1,234 people.", "ðˌɛɹ wɜɹ wˈʌn θˈWzᵊnd tˈu hˈʌndɹəd θˈɜɹTi fˈɔɹ pˈipᵊl."),
        Case("He came 1st, she came 22nd, they came 103rd.", "hˌi kˈAm fˈɜɹst, ʃi kˈAm twˈɛnti sˈɛkənd, ðA kˈAm wˈʌn hˈʌndɹəd θˈɜɹd."),
        Case("It costs 3.5 dollars.", "ˌɪt kˈɔsts θɹˈi pYnt fˈIv dˈɑləɹz."),
        Case("The rate is 0.75 today.", "ðə ɹˈAt ɪz zˈɪɹO pYnt sˈɛvən fˈIv tədˈA."),
        Case("It fell to -4.5 degrees.", "ˌɪt fˈɛl tə mˈInəs fˈɔɹ pYnt fˈIv dəɡɹˈiz."),
        // misaki drops "-7" when spaCy tags it NFP; Koe reads it.
        Case("The temperature is -7 now.", "ðə tˈɛmpɹəʧəɹ ɪz mˈInəs sˈɛvən nˈW."),
        Case("Version 2.0 is out.", "vˈɜɹʒən tˈu ɪz ˈWt."),
        Case("The 1990s and the '80s.", "ðə nˌIntˈin nˈIndiz ænd ði ˈATiz."),
    ])
    func numbers(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("years", arguments: [
        Case("It was built in 1999.", "ˌɪt wʌz bˈɪlt ɪn nˌIntˈin nˈIndi nˈIn."),
        Case("It happened in 2008.", "ˌɪt hˈæpənd ɪn tˈu θˈWzᵊnd ˈAt."),
        Case("It happened in 1905.", "ˌɪt hˈæpənd ɪn nˌIntˈin ˈO fˈIv."),
        Case("They won in 1900.", "ðˌA wˈʌn ɪn nˌIntˈin hˈʌndɹəd."),
        Case("In 1066, the Normans crossed the Channel.", "ɪn tˈɛn sˈɪksti sˈɪks, ðə nˈɔɹmᵊnz kɹˈɔst ðə ʧˈænᵊl."),
    ])
    func years(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("ranges, fractions, times, phone numbers", arguments: [
        Case("The years 1990-1995 were good.", "ðə jˈɪɹz nIntˌin nˌIndinˌIntˈin nˈIndi fˈIv wɜɹ ɡˈʊd."),
        Case("Read pages 10-20 tonight.", "ɹˈid pˈAʤᵻz tˌɛntwˈɛnti tənˈIt."),
        Case("Add 1/2 cup and 3/4 cup.", "ˈæd wˈʌn tˈu kˈʌp ænd θɹˈi fˈɔɹ kˈʌp."),
        Case("We meet at 10:30.", "wˌi mˈit æt tˈɛn:θˈɜɹTi."),
        Case("Call 555-0199 now.", "kˈɔl fˈIv hˈʌndɹəd fˈɪfti fˈIvwˌʌn nˌIndi nˌIn nˈW."),
        Case("Call 1-800-555-0100 now.", "kˈɔl wˌʌnˌAt hˌʌndɹədfˈIv fˈɪfti fˈIvwˈʌn hˈʌndɹəd nˈW."),
        Case("Her number is (212) 555-7890.", "hˌɜɹ nˈʌmbəɹ ɪz (tˈu hˈʌndɹəd twˈɛlv) fˈIv hˈʌndɹəd fˈɪfti fˈIvsˌɛvənti ˌAt nˌIndi."),
    ])
    func rangesAndTimes(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("money, percentages, units", arguments: [
        Case("It costs $5.", "ˌɪt kˈɔsts fˈIv dˈɑləɹz."),
        Case("It costs $1.", "ˌɪt kˈɔsts wˈʌn dˈɑləɹ."),
        Case("It costs $0.99.", "ˌɪt kˈɔsts nˈIndi nˈIn sˈɛnts."),
        Case("It costs $12.50 today.", "ˌɪt kˈɔsts twˈɛlv dˈɑləɹz ænd fˈɪfti sˈɛnts tədˈA."),
        Case("It costs £3.20 today.", "ˌɪt kˈɔsts θɹˈi pˈWndz ænd twˈɛnti pˈɛns tədˈA."),
        Case("It costs €1,000 today.", "ˌɪt kˈɔsts wˈʌn θˈWzᵊnd jˈʊɹOz tədˈA."),
        Case("They raised $4 billion.", "ðˌA ɹˈAzd fˈɔɹ bˈɪljən dˈɑləɹz."),
        Case("Prices rose 12% this year.", "pɹˈIsᵻz ɹˈOz twˈɛlv pəɹsˈɛnt ðɪs jˈɪɹ."),
        Case("It is 5 km away.", "ˌɪt ɪz fˈIv kˌAˈɛm əwˈA."),
        Case("It weighs 3 kg.", "ˌɪt wˈAz θɹˈi kˌAʤˈi."),
    ])
    func money(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }
}

@Suite("English words")
struct WordRuleTests {
    @Test("abbreviations and titles", arguments: [
        Case("Dr. Jones met Mr. and Mrs. Lee.", "dˈɑktəɹ ʤˈOnz mˈɛt mˈɪstəɹ ænd mˈɪsɪz lˈi."),
        Case("She lives on Elm St. now.", "ʃˌi lˈɪvz ˌɔn ˈɛlm sənt. nˈW."),
        Case("Ms. Smith, Prof. Brown, and Gen. Lee.", "mˈɪz smˈɪθ, pɹˈɑf bɹˈWn, ænd ʤˈɛn lˈi."),
        Case("Bring snacks, drinks, napkins, etc.", "bɹˈɪŋ snˈæks, dɹˈɪŋks, nˈæpkɪnz, ɛtsˈɛTəɹə."),
        Case("The meeting is at 3 p.m. today.", "ðə mˈiTɪŋ ɪz æt θɹˈi pˌiˈɛm tədˈA."),
        Case("The final score was Lions vs. Tigers.", "ðə fˈInᵊl skˈɔɹ wʌz lˈIənz vˈɜɹsəs tˈIɡəɹz."),
    ])
    func abbreviations(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("acronyms spelled, pronounceable ones read", arguments: [
        Case("The FBI and the NSA agreed.", "ði ˌɛfbˌiˈI ænd ði ˌɛnˌɛsˈA əɡɹˈid."),
        Case("NASA and NATO are acronyms.", "nˈæsə ænd nˈATO ɑɹ ˈækɹənˌɪmz."),
        Case("The U.S. economy grew.", "ðə jˌuˈɛs ikˈɑnəmi ɡɹˈu."),
        Case("The NFL and the UN met in the US.", "ði ˌɛnˌɛfˈɛl ænd ðə jˌuˈɛn mˈɛt ɪn ðə jˌuˈɛs."),
        Case("Read HTTP and JSON docs.", "ɹˈid ˌAʧtˌitˌipˈi ænd ʤˌAˌɛsˌOˈɛn dˈɑks."),
        Case("The CEO's plan.", "ðə sˌiˌiˈOz plˈæn."),
    ])
    func acronyms(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("symbols, addresses", arguments: [
        Case("Salt & pepper, 2 + 2, 50% off, me @ home.", "sˈɔlt ænd pˈɛpəɹ, tˈu plˈʌs tˈu, fˈɪfti pəɹsˈɛnt ˈɔf, mˌi æt hˈOm."),
        Case("Press # now and #1 wins.", "pɹˈɛs hˈæʃ nˈW ænd wˈʌn wˈɪnz."),
        // misaki reads the dot of addresses when spaCy tags them ADD, not when NNP; Koe always does.
        Case("Email me at jane@example.com today.", "ˈimˌAl mˌi æt ʤˈAn æt ɪɡzˈæmpəl dˌɑt kˈɑm tədˈA."),
        Case("Visit example.org today.", "vˈɪzət ɪɡzˈæmpəldˌɑtˈɔɹɡ tədˈA."),
        Case("Visit www.weatherwatch.net for more.", "vˈɪzət dˌʌbᵊljˌudˌʌbᵊljˌudˈʌbᵊljˌu.wˈɛðəɹwˌɑʧ.nˈɛt fɔɹ mˈɔɹ."),
    ])
    func symbols(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("-s, -ed, -ing, possessives, contractions", arguments: [
        Case("I waited, then voted.", "ˌI wˈATᵻd, ðˈɛn vˈOTᵻd."),
        Case("She wanted the needed parts.", "ʃˌi wˈɑntᵻd ðə nˈidᵻd pˈɑɹts."),
        Case("The boxes and the wishes.", "ðə bˈɑksᵻz ænd ðə wˈɪʃᵻz."),
        Case("Cities and countries.", "sˈɪTiz ænd kˈʌntɹiz."),
        Case("We are writing and getting and putting.", "wˌi ɑɹ ɹˈITɪŋ ænd ɡˈɛTɪŋ ænd pˈʊTɪŋ."),
        Case("My Kokoros are Kokoro's friends.", "mˌI kəkˈɔɹOz ɑɹ kəkˈɔɹOz fɹˈɛndz."),
        Case("The dog's bone and the dogs' bones.", "ðə dˈɔɡz bˈOn ænd ðə dˈɔɡz bˈOnz."),
        Case("Don't, can't, won't, I'd, you're, it's.", "dˈOnt, kˈænt, wˈOnt, ˌId, jʊɹ, ɪts."),
    ])
    func morphology(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("capitals, compounds, function words before vowels", arguments: [
        Case("iPhone and YouTube are brands.", "ˈIfˌOn ænd jˈutˌub ɑɹ bɹˈændz."),
        Case("The well-known author gave a thought-provoking talk.", "ðə wˌɛlnˈOn ˈɔθəɹ ɡˈAv ɐ θˌɔtpɹəvˈOkɪŋ tˈɔk."),
        Case("The state-of-the-art facility.", "ðə stˈAtʌvðiˈɑɹt fəsˈɪləTi."),
        Case("The apple and the pear.", "ði ˈæpᵊl ænd ðə pˈɛɹ."),
        Case("I am here, and so am I.", "ˌI ɐm hˈɪɹ, ænd sˌO ɐm ˈI"),
    ])
    func capitals(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("heteronyms from context", arguments: [
        Case("Yesterday I read the report that you asked me to read.", "jˈɛstəɹdˌA ˌI ɹˈɛd ðə ɹəpˈɔɹt ðæt ju ˈæskt mˌi tə ɹˈid."),
        Case("I object to moving that heavy object.", "ˌI əbʤˈɛkt tə mˈuvɪŋ ðˈæt hˈɛvi ˈɑbʤəkt."),
        Case("The wind was strong, so wind the kite.", "ðə wˈɪnd wʌz stɹˈɔŋ, sˌO wˈInd ðə kˈIt."),
        Case("She will present the present.", "ʃˌi wɪl pɹizˈɛnt ðə pɹˈɛzᵊnt."),
        Case("They refuse to collect the refuse.", "ðˌA ɹəfjˈuz tə kəlˈɛkt ðə ɹˈɛfjˌus."),
        Case("I used to swim, and I used the pool.", "ˌI jˈust tə swˈɪm, ænd ˌI jˈuzd ðə pˈul."),
        Case("We live near the stadium, so we can hear the live music.", "wˌi lˈɪv nˌɪɹ ðə stˈAdiəm, sˌO wi kæn hˈɪɹ ðə lˈIv mjˈuzɪk."),
        Case("The nurse wound the bandage around the wound.", "ðə nˈɜɹs wˈWnd ðə bˈændɪʤ əɹˈWnd ðə wˈund."),
        Case("Wait a minute, that is a minute detail.", "wˈAt ɐ mˈɪnət, ðˈæt ɪz ɐ mInˈut dətˈAl."),
        Case("Please close the door; the bakery is close to the station.", "plˈiz klˈOz ðə dˈɔɹ; ðə bˈAkəɹi ɪz klˈOs tə ðə stˈAʃən."),
    ])
    func heteronyms(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("unknown words through espeak-ng", arguments: [
        Case("Kokoro is a model.", "kəkˈɔɹO ɪz ɐ mˈɑdᵊl."),
        Case("The café serves crème brûlée.", "ðə kæfˈA sˈɜɹvz kɹˈɛm bɹulˈA."),
        Case("Siobhan met Nikolai.", "ʃɪvˈɔn mˈɛt nˈɪkəlˌI."),
        Case("Dr. Who and St. Louis and Jr.", "dˈɑktəɹ hˌu ænd sənt. lˈui ænd ʤˌAˈɑɹ."),
    ])
    func fallback(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }

    @Test("punctuation Kokoro voices", arguments: [
        Case("Wait... what?", "wˈAt... wˌʌt?"),
        Case("He said: \"Yes!\" (quietly).", "hˌi sˈɛd: “jˈɛs!” (kwˈIətli)."),
        Case("He said 'maybe,' but no.", "hˌi sˈɛd “mˈAbi,” bˌʌt nˈO."),
        Case("Wait — did you hear that?", "wˈAt — dˈɪd ju hˈɪɹ ðˈæt?"),
        Case("Stop; think; then act.", "stˈɑp; θˈɪŋk; ðˈɛn ˈækt."),
    ])
    func punctuation(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text) == c.phonemes)
    }
}

@Suite("British English")
struct BritishRuleTests {
    @Test(arguments: [
        Case("The rate is 0.75 today.", "ðə ɹˈAt ɪz zˈɪəɹQ pYnt sˈɛvᵊn fˈIv tədˈA."),
        Case("It costs £3.20 today.", "ˌɪt kˈɒsts θɹˈiː pˈWndz and twˈɛnti pˈɛns tədˈA."),
        Case("She walked, talked, and jumped.", "ʃˌiː wˈɔːkt, tˈɔːkt, and ʤˈʌmpt."),
        Case("He is running and waiting.", "hˌiː ɪz ɹˈʌnɪŋ and wˈAtɪŋ."),
        Case("The party started at 8.", "ðə pˈɑːti stˈɑːtɪd at ˈAt."),
        Case("The dog's bone and the dogs' bones.", "ðə dˈɒɡz bˈQn and ðə dˈɒɡz bˈQnz."),
    ])
    func british(_ c: Case) throws {
        #expect(try Fixtures.phonemes(c.text, .britishEnglish) == c.phonemes)
    }
}

@Suite struct TokenizerExceptionTests {
    /// Checked against misaki 0.9.4: a tokenizer exception keeps its inner periods.
    @Test func phdIsSpelledAsOneWord() throws {
        let result = try Fixtures.g2p(.americanEnglish).phonemize("Her Ph.D. thesis.")
        #expect(result.phonemes == "hˌɜɹ pˌiˌAʧdˈi θˈisɪs.")
        #expect(result.words.map(\.text) == ["Her", "Ph.D.", "thesis"])
    }
}
