import Foundation
import KoeText

/// Loaded once per fuzzing process.
let american: G2P = {
    do {
        return try G2P(language: .americanEnglish)
    } catch {
        fatalError("cannot load the English front end (run scripts/provision.sh): \(error)")
    }
}()
let british: G2P = {
    do {
        return try G2P(language: .britishEnglish)
    } catch {
        fatalError("cannot load the English front end (run scripts/provision.sh): \(error)")
    }
}()

/// One fuzz input: any bytes, read as (repaired) UTF-8 text. The first byte picks the accent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    let g2p = (bytes.first ?? 0) & 1 == 0 ? american : british
    do {
        let result = try g2p.phonemize(text)
        let phonemes = Array(result.phonemes.unicodeScalars)
        let source = Array(text.unicodeScalars)
        for word in result.words {
            precondition(word.start < word.end && word.end <= source.count, "word range out of the text")
            precondition(String(String.UnicodeScalarView(source[word.start..<word.end])) == word.text, "word text mismatch")
            precondition(String(String.UnicodeScalarView(phonemes[word.phonemeRange])) == word.phonemes, "phoneme range mismatch")
        }
        precondition(phonemes.allSatisfy(KokoroVocabulary.symbols.contains), "symbol outside Kokoro's vocabulary")
        for chunk in result.chunks(limit: 64, firstLimit: 16) {
            precondition(chunk.phonemeCount <= 64 || chunk.words.count == 1, "chunk over the limit")
        }
    } catch TextError.emptyText {
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
    _ = TextSegmenter().clauses(in: text)
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links executables with `--defsym main=FuzzG2P_main`, so this is the process entry
/// point: it hands over to libFuzzer's driver with the harness above.
@_cdecl("FuzzG2P_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
