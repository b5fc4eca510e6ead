import ArgumentParser
import Foundation
import Koe
import Logging

// The library's enums as command-line values: ArgumentParser checks them and lists the
// accepted values in the help and in its error, which names the value received.

extension AudioFormat: ExpressibleByArgument {
    /// A format name or file extension (`mp3`, `ogg`, `wave`…), as ``AudioFormat/init(fileExtension:)`` reads it.
    public init?(argument: String) { self.init(fileExtension: argument) }
}

extension WAVSampleFormat: ExpressibleByArgument {}

extension KoeLanguage: ExpressibleByArgument {
    /// A Kokoro code (`a`), an espeak-style code (`en-gb`) or a name (`french`).
    public init?(argument: String) { self.init(code: argument) }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// The text front end's files, shared by every command that phonemizes.
struct LexiconOptions: ParsableArguments {
    @Option(name: .customLong("lexicon-dir"), help: "Folder with misaki's lexicons. Default: $KOE_HOME/misaki.")
    var lexiconDirectory: String?

    @Option(name: .customLong("user-lexicon"), help: "A file of `word<TAB>phonemes` lines (or a JSON object) overriding every pronunciation.")
    var userLexicon: String?

    /// The folder given, else the library's default.
    var directory: URL {
        lexiconDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? G2P.defaultLexiconDirectory
    }

    var userLexiconURL: URL? { userLexicon.map { URL(fileURLWithPath: $0) } }
}
