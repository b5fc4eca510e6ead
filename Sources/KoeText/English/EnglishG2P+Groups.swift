/// Word groups: the pieces of a run without whitespace (`can` `'t`, `Dr` `.`, `3` `:` `45`)
/// are looked up together, and their phonemes glued back with misaki's stress balancing.
extension EnglishG2P {
    enum Item {
        case token(MToken)
        case group([MToken])
    }

    static let punctuationTags: Set<String> = [".", ",", "-LRB-", "-RRB-", "``", "\"\"", "''", ":", "$", "#", "NFP"]
    static let punctuationTagPhonemes: [String: String] = ["-LRB-": "(", "-RRB-": ")", "``": "“", "\"\"": "”", "''": "”"]
    /// Punctuation Kokoro voices (pauses and quotes).
    static let spokenPunctuation: Set<Unicode.Scalar> = Set(";:,.!?—…\"“”".unicodeScalars)
    /// Pieces that are silent inside a word group.
    static let junk: Set<Unicode.Scalar> = Set("',-._‘’/".unicodeScalars)

    /// misaki's `retokenize`: cuts tokens into pieces, gives punctuation its phonemes, marks
    /// amounts with their currency, and collects pieces not separated by whitespace.
    static func retokenize(_ tokens: [MToken]) -> [Item] {
        var items: [Item] = []
        var currency: Unicode.Scalar?
        for (i, token) in tokens.enumerated() {
            var pieces: [MToken]
            if token.alias == nil && token.phonemes == nil {
                let scalars = Array(token.text.unicodeScalars)
                pieces = Subtokenizer.split(scalars).map { r in
                    var piece = token
                    piece.text = String(scalars: scalars[r])
                    piece.whitespace = false
                    piece.range = (token.range.lowerBound + r.lowerBound)..<(token.range.lowerBound + r.upperBound)
                    return piece
                }
                if pieces.isEmpty { continue }
            } else {
                pieces = [token]
            }
            pieces[pieces.count - 1].whitespace = token.whitespace
            for j in pieces.indices {
                var piece = pieces[j]
                if piece.alias != nil || piece.phonemes != nil {
                } else if piece.tag == "$", let sign = piece.text.unicodeScalars.first, piece.text.unicodeScalars.count == 1,
                          EnglishLexicon.currencies[sign] != nil {
                    currency = sign
                    piece.phonemes = ""
                    piece.rating = 4
                    piece.isPunctuation = true
                } else if piece.tag == ":", !piece.text.isEmpty, piece.text.unicodeScalars.allSatisfy({ "-–".unicodeScalars.contains($0) }) {
                    piece.phonemes = "—"
                    piece.rating = 3
                    piece.isPunctuation = true
                } else if punctuationTags.contains(piece.tag), !piece.text.unicodeScalars.allSatisfy(\.isASCIILetter) {
                    piece.phonemes = punctuationTagPhonemes[piece.tag]
                        ?? String(scalars: piece.text.unicodeScalars.filter(spokenPunctuation.contains))
                    piece.rating = 4
                    piece.isPunctuation = true
                } else if currency != nil {
                    if piece.tag != "CD" {
                        currency = nil
                    } else if j + 1 == pieces.count && (i + 1 == tokens.count || tokens[i + 1].tag != "CD") {
                        piece.currency = currency
                    }
                } else if j > 0, j < pieces.count - 1, piece.text == "2",
                          let before = pieces[j - 1].text.unicodeScalars.last, let after = pieces[j + 1].text.unicodeScalars.first,
                          before.isLetter, after.isLetter {
                    piece.alias = "to"
                }
                if piece.alias != nil || piece.phonemes != nil {
                    items.append(.token(piece))
                } else if case .group(var group)? = items.last, !group[group.count - 1].whitespace,
                          group.count < maxGroupPieces {
                    piece.isHead = false
                    group.append(piece)
                    items[items.count - 1] = .group(group)
                } else {
                    items.append(piece.whitespace ? .token(piece) : .group([piece]))
                }
            }
        }
        return items.map { item in
            if case .group(let g) = item, g.count == 1 { return .token(g[0]) }
            return item
        }
    }

    /// misaki's `resolve_tokens`: decides whether the group's pieces are spoken apart
    /// (spaces, slashes, or letters mixed with digits) or glued into one word, and in the
    /// glued case demotes the weaker half of the stresses (`wˌɛlnˈOn`).
    static func resolvePieces(_ tokens: inout [MToken]) {
        let text = MToken.merge(tokens[...], unknown: nil).text
        var classes = Set<Int>()
        for s in text.unicodeScalars where !junk.contains(s) {
            classes.insert(s.isLetter ? 0 : (s.isASCIIDigit ? 1 : 2))
        }
        let prespace = text.contains(" ") || text.contains("/") || classes.count > 1
        for i in tokens.indices {
            if tokens[i].phonemes == nil {
                if i == tokens.count - 1, TokenContext.nonQuotePunctuation.contains(where: { String($0) == tokens[i].text }) {
                    tokens[i].phonemes = tokens[i].text
                    tokens[i].rating = 3
                } else if tokens[i].text.unicodeScalars.allSatisfy(junk.contains) {
                    tokens[i].phonemes = ""
                    tokens[i].rating = 3
                }
            } else if i > 0 {
                tokens[i].prespace = prespace
            }
        }
        if prespace { return }
        var indices: [(primary: Bool, weight: Int, index: Int)] = []
        for (i, t) in tokens.enumerated() {
            if let p = t.phonemes, !p.isEmpty { indices.append((Stress.hasPrimary(p), Stress.weight(p), i)) }
        }
        if indices.count == 2, tokens[indices[0].index].text.unicodeScalars.count == 1 {
            let i = indices[1].index
            tokens[i].phonemes = Stress.apply(tokens[i].phonemes!, -0.5)
            return
        }
        guard indices.count >= 2, indices.filter(\.primary).count > (indices.count + 1) / 2 else { return }
        let demote = indices.sorted { a, b in
            if a.primary != b.primary { return !a.primary }
            if a.weight != b.weight { return a.weight < b.weight }
            return a.index < b.index
        }.prefix(indices.count / 2)
        for entry in demote {
            tokens[entry.index].phonemes = Stress.apply(tokens[entry.index].phonemes!, -0.5)
        }
    }
}
