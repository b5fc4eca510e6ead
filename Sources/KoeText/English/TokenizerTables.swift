/// Word lists of the English tokenizer, modelled on spaCy's English tokenizer rules that
/// misaki relies on: which dotted abbreviations keep their period, and which contractions
/// split into two tokens.
enum TokenizerTables {
    /// Words that keep their final period (spaCy's tokenizer exceptions). Their period is
    /// never read as the end of a sentence, so a sentence-final `p.m.` swallows the full stop.
    static let abbreviations: Set<String> = {
        var set: Set<String> = [
            "a.m.", "p.m.", "e.g.", "E.g.", "E.G.", "i.e.", "I.e.", "I.E.", "v.s.", "vs.", "co.", "Co.",
            "Adm.", "Bros.", "Corp.", "D.C.", "Dr.", "Gen.", "Gov.", "Inc.", "Jr.", "Ltd.", "Md.", "Messrs.",
            "Mo.", "Mont.", "Mr.", "Mrs.", "Ms.", "Mt.", "Ph.D.", "Prof.", "Rep.", "Rev.", "Sen.", "St.",
            "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
            "Ak.", "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ia.", "Id.",
            "Ill.", "Ind.", "Kan.", "Kans.", "Ky.", "La.", "Mass.", "Mich.", "Minn.", "Miss.", "N.C.", "N.D.",
            "N.H.", "N.J.", "N.M.", "N.Y.", "Neb.", "Nebr.", "Nev.", "Okla.", "Ore.", "Pa.", "S.C.", "Tenn.",
            "Va.", "Wash.", "Wis.", "ä.", "ö.", "ü.",
        ]
        for letter in "abcdefghijklmnopqrstuvwxyz" { set.insert("\(letter).") }
        for hour in 1...12 {
            set.insert("\(hour)a.m.")
            set.insert("\(hour)p.m.")
        }
        return set
    }()

    /// Bases that split off `n't` as a token of their own (`ca|n't`, `do|n't`).
    static let negatableBases: Set<String> = [
        "ai", "are", "ca", "could", "dare", "did", "does", "do", "had", "has", "have", "is", "might",
        "must", "need", "ought", "sha", "should", "was", "were", "wo", "would",
    ]
    /// Words that split off `'m 're 've 'll 'd` (`you|'re`, `I|'m`).
    static let contractingWords: Set<String> = [
        "i", "you", "he", "she", "it", "we", "they", "who", "what", "where", "when", "why", "how",
        "that", "there", "this", "these", "those", "here", "let",
    ]
    static let contractionSuffixes = ["'m", "'re", "'ve", "'ll", "'d", "’m", "’re", "’ve", "’ll", "’d"]

    /// Words that start with an apostrophe rather than an opening quote.
    static let apostropheWords: Set<String> = ["'em", "'cause", "'til", "'tis", "'twas", "'n", "'n'", "'round", "'bout"]
}
