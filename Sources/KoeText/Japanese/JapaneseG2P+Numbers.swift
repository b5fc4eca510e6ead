extension JapaneseG2P {
    /// Turns MeCab's tokens into words, replacing the tokens of a number (and of its
    /// counter) by one word read by Koe when misaki's reading of them is wrong: a counter
    /// read without its sound change or with the wrong reading (ごぽん for 5本, さんつき for
    /// 3月), a number whose kana the tagger cut inside a sound (さんび・ゃ・く for 300), and
    /// numbers misaki cannot read (digit groups, decimals, ten or more digits).
    static func readNumbers(_ tokens: [MeCabToken], input: TaggerInput) -> [JapaneseWord] {
        var words: [JapaneseWord] = []
        words.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            let first = tokens[i].range.lowerBound
            guard first < input.numberIndex.count, let index = input.numberIndex[first] else {
                words.append(word(tokens[i], input: input))
                i += 1
                continue
            }
            let span = input.numbers[index]
            let firstWord = words.count
            defer {
                for k in words.indices.dropFirst(firstWord + 1) { words[k].joinsPrevious = true }
            }
            var end = i
            while end < tokens.count, tokens[end].range.lowerBound < input.numberIndex.count,
                  input.numberIndex[tokens[end].range.lowerBound] == index {
                end += 1
            }
            let numberWords = tokens[i..<end].map { word($0, input: input) }
            // The counter's tokens: those inside its range, ending exactly where it ends.
            var counterEnd = end
            var counterWords: [JapaneseWord] = []
            if let counter = span.counter {
                while counterEnd < tokens.count {
                    let w = word(tokens[counterEnd], input: input)
                    guard w.original.lowerBound >= counter.original.lowerBound, w.original.upperBound <= counter.original.upperBound else { break }
                    counterWords.append(w)
                    counterEnd += 1
                }
                let covered = (counterWords.last?.original.upperBound ?? numberWords.last?.original.upperBound) == counter.original.upperBound
                if !covered {
                    counterWords = []
                    counterEnd = end
                }
            }
            let numberReading = numberWords.map(\.reading).joined()
            let counterReading = counterWords.map(\.reading).joined()
            let original = (numberWords.first?.original.lowerBound ?? span.original.lowerBound)..<(
                counterWords.last?.original.upperBound ?? numberWords.last?.original.upperBound ?? span.original.upperBound)
            let cutInsideASound = numberWords.contains { w in
                w.surface.first.map { KanaPhonemes.small.contains($0) || "んーっ".contains($0) } ?? false
            }
            if let counter = span.counter, !counterWords.isEmpty || numberWords.last?.original.upperBound == counter.original.upperBound {
                let accepted = counter.counter.readings(elements: span.elements, value: span.value,
                                                        dateAfterMonth: span.afterMonth, key: counter.key)
                let isolate = span.form == .koe
                if span.form == .plain, !cutInsideASound, accepted.contains(numberReading + counterReading) {
                    words += numberWords + counterWords
                } else if accepted.contains(span.reading + counterReading) {
                    words += reread(numberWords, as: span.reading, original: span.original, isolate: isolate || cutInsideASound)
                    words += counterWords
                } else {
                    words += reread(numberWords + counterWords, as: accepted.first ?? span.reading + counterReading,
                                    original: original, isolate: isolate || cutInsideASound)
                }
                i = counterEnd
                continue
            }
            if span.form == .plain, !cutInsideASound {
                words += numberWords
            } else {
                words += reread(numberWords, as: span.reading, original: span.original, isolate: true)
            }
            i = end
        }
        return words
    }

    /// The tokens of a number read as `reading`: the leading tokens whose readings already
    /// spell its beginning are kept (with misaki's spacing), the rest becomes one word.
    /// The reading is never cut before a small kana, ー, っ or ん. With `isolate` (kana misaki
    /// would not have seen), the kept tokens group only among themselves.
    static func reread(_ tokens: [JapaneseWord], as reading: String, original: Range<Int>, isolate: Bool) -> [JapaneseWord] {
        let target = Array(reading)
        var kept = 0, matched = 0
        while kept < tokens.count {
            let piece = Array(tokens[kept].reading)
            let end = matched + piece.count
            guard !piece.isEmpty, end <= target.count, Array(target[matched..<end]) == piece,
                  end == target.count || !(KanaPhonemes.small.contains(target[end]) || "んーっ".contains(target[end])) else { break }
            kept += 1
            matched = end
        }
        var head = Array(tokens[..<kept])
        if isolate {
            for k in head.indices { head[k].charType = JapaneseWord.isolatedNumberClass }
        }
        if kept == tokens.count, matched == target.count { return head }
        let rest = String(target[matched...])
        let lower = kept < tokens.count ? tokens[kept].original.lowerBound : (tokens.last?.original.lowerBound ?? original.lowerBound)
        let upper = max(original.upperBound, tokens.last?.original.upperBound ?? original.upperBound)
        guard !rest.isEmpty else { return head }
        return head + [numberWord(rest, original: lower..<upper)]
    }

    private static func numberWord(_ reading: String, original: Range<Int>) -> JapaneseWord {
        JapaneseWord(surface: reading, reading: reading, charType: JapaneseWord.numberClass, original: original,
                     phonemes: KanaPhonemes.phonemes(reading))
    }
}
