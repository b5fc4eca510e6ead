/// Closed-class words and suffix rules for the part-of-speech heuristic.
enum TaggerTables {
    /// Function words with the Penn tag they almost always carry.
    static let closedClass: [String: String] = {
        var table: [String: String] = [:]
        func add(_ tag: String, _ words: String) {
            for w in words.split(separator: " ") { table[String(w)] = tag }
        }
        add("DT", "the a an this these those some any each every all both no another either neither half")
        add("PRP", "i you he she it we they me him us them myself yourself himself herself itself ourselves yourselves themselves mine yours hers ours theirs someone somebody something anyone anybody anything everyone everybody everything nobody nothing")
        add("PRP$", "my your his its our their")
        add("IN", "that of in on at by for with from about into onto over under after before between through during without within against among across behind beyond beneath below above toward towards upon via per despite throughout along around near since until till unlike like than if because although though while whereas unless whether as past inside outside except amid besides vs vs. v. versus")
        add("TO", "to")
        add("CC", "and or but nor & plus")
        add("MD", "can could will would shall should may might must 'll ca wo sha")
        add("WDT", "which whichever")
        add("WP", "who whom whose what whoever whatever")
        add("WRB", "where when why how whenever wherever")
        add("EX", "there")
        add("RB", "not n't never very also just too so only even still already always often now then here again soon almost quite rather really perhaps maybe yet ever once twice later together away back else instead indeed however therefore thus otherwise sometimes usually")
        add("RP", "up down out off")
        add("UH", "oh yes yeah hello hi hey wow okay ok please thanks ah oops")
        add("VBZ", "is has does 's")
        add("VBP", "are am have do 're 've 'm")
        add("VBD", "was were had did 'd")
        add("VB", "be")
        add("VBN", "been done")
        add("VBG", "being having doing")
        add("CD", "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion trillion dozen")
        add("NNS", "people children men women police feet teeth mice geese data")
        add("JJ", "first second third last next other many much more most few less least new old good great")
        return table
    }()

    /// Top-level domains that mark a word as a web or e-mail address.
    static let domains: Set<String> = [
        "com", "org", "net", "edu", "gov", "io", "co", "uk", "us", "de", "fr", "ca", "au", "jp", "info", "biz",
        "ai", "app", "dev", "me", "tv", "ly", "eu", "in", "es", "it", "nl", "ru", "ch", "se",
    ]

    static let subjectPronouns: Set<String> = ["i", "you", "we", "they", "he", "she", "it", "who"]
    static let thirdPersonPronouns: Set<String> = ["he", "she", "it"]
    static let objectPronouns: Set<String> = ["me", "him", "us", "them", "her"]
    static let beForms: Set<String> = ["is", "are", "am", "was", "were", "be", "been", "being", "'s", "'re", "'m", "isn't", "aren't", "wasn't", "weren't"]
    static let haveForms: Set<String> = ["have", "has", "had", "'ve", "having", "haven't", "hasn't", "hadn't"]
    static let doForms: Set<String> = ["do", "does", "did", "don't", "doesn't", "didn't", "please", "let's", "let", "lets"]

    /// Common adjectives that are also nouns or verbs; in front of a noun they are read as
    /// adjectives (`a close call`, `the upset fans`, `content users`). Words whose lexicon
    /// entry has an ADJ form (`minute`) follow the stricter article rule instead.
    static let adjectives: Set<String> = [
        "close", "upset", "content", "invalid", "perfect", "live", "separate", "moderate", "present", "absent",
        "frequent", "compact", "abstract", "alternate", "appropriate", "complex", "intimate", "deliberate",
        "elaborate", "secondary", "overall", "further", "blessed", "aged", "crooked", "wicked", "beloved",
    ]

    /// Words whose adjective reading is rare in front of a noun: there they are nouns
    /// used as modifiers (`bass player`, `arsenic poisoning`).
    static let nominalModifiers: Set<String> = ["bass", "arithmetic", "arsenic", "downstairs", "inside", "nearby"]

    static let nounSuffixes = ["tion", "sion", "ment", "ness", "ity", "ance", "ence", "ship", "ism", "ist", "er", "or", "age", "ure", "dom", "hood", "ery"]
    static let adjectiveSuffixes = ["ous", "ful", "less", "ive", "able", "ible", "al", "ic", "ish", "ary", "ent", "ant", "est", "id"]

    /// A rough tag for an open-class word from its ending.
    static func guess(_ lower: String) -> String {
        if lower.count > 4, lower.hasSuffix("ly") || lower.hasSuffix("ward") || lower.hasSuffix("wards") { return "RB" }
        if lower.count > 4, lower.hasSuffix("ing") { return "VBG" }
        if lower.count > 3, lower.hasSuffix("ed") { return "VBD" }
        if nounSuffixes.contains(where: { lower.count > $0.count + 2 && lower.hasSuffix($0) }) { return "NN" }
        if adjectiveSuffixes.contains(where: { lower.count > $0.count + 2 && lower.hasSuffix($0) }) { return "JJ" }
        if lower.count > 3, lower.hasSuffix("s"), !lower.hasSuffix("ss"), !lower.hasSuffix("us"), !lower.hasSuffix("is") {
            return "NNS"
        }
        return "NN"
    }
}
