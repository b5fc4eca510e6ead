import ArgumentParser
import Foundation

@main
struct KoeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "koe",
        abstract: "Fast, local, private Kokoro-82M text-to-speech.",
        subcommands: [
        ]
    )
}
