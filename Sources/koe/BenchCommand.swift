import ArgumentParser
import Foundation
import Koe
import KoeText
import KokoroModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure load time, real-time factor and peak memory against onnxruntime on the same input.")

    /// A fixed input of about 200 phonemes (two English sentences).
    static let benchPhonemes =
        "ɪn ðə mˈɔːɹnɪŋ, ðə tɹˈeɪn lˈɛft ðə stˈeɪʃən ˈɑːn tˈaɪm. pˈæsɪndʒɚz ɹˈɛd ðɛɹ bˈʊks, wˈɑːtʃt ðə fˈiːldz ɡoʊ bˈaɪ, "
        + "ænd tˈɔːkt kwˈaɪətli əbˌaʊt ðə wˈɛðɚ. bˈaɪ nˈuːn, ðə skˈaɪ hæd tˈɜːnd ɡɹˈeɪ ænd kˈoʊld."

    /// A paragraph whose first sentence has 12 words, for time to first audio.
    static let benchParagraph = """
        The morning train left the station on time with sleepy commuters aboard. \
        Passengers read their books, watched the fields go by, and talked quietly about the weather. \
        By noon, the sky had turned gray and cold, and a light rain began to fall across the valley. \
        Nobody minded; the journey was almost over.
        """

    @Option(help: "Voice (default: af_heart, else the first voice).")
    var voice: String?

    @Option(help: "Compute threads, for Koe and for onnxruntime.")
    var threads: Int = 2

    @Option(help: "Timed runs after one warm-up run; the median is reported.")
    var runs: Int = 3

    @Option(help: "Python with onnxruntime for the reference (default: $KOE_HOME/venv/bin/python). 'none' skips it.")
    var python: String?

    @OptionGroup var model: ModelOptions

    func run() async throws {
        let logger = CLI.logger(model)
        let engine: KokoroEngine
        do { engine = try CLI.loadEngine(model, logger: logger) } catch { throw CLIError(error) }
        let voiceName = voice ?? engine.defaultVoice
        let phonemes = Self.benchPhonemes
        let tokens = try engine.vocabulary.encode(phonemes)
        var times = [Double]()
        var audioSeconds = 0.0
        var stages = StageTimings()
        for i in 0...max(1, runs) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = try engine.synthesize(tokens: tokens, phonemes: phonemes, voice: .named(voiceName), threads: threads)
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            audioSeconds = Double(r.audio.count) / Double(r.sampleRate)
            if i > 0 { times.append(dt); stages = r.timings }
        }
        let synth = times.sorted()[times.count / 2]
        let koe = Measurement(load: engine.loadSeconds, rtf: synth / audioSeconds, peakRSSMB: Self.peakRSSMegabytes())

        let onePass = try await streamingMeasurement(engine: engine, voice: voiceName, early: false)
        let stream = try await streamingMeasurement(engine: engine, voice: voiceName, early: true)

        print(MachineDescription.summary)
        print("koe bench: \(tokens.count) phonemes, voice \(voiceName), \(String(format: "%.2f", audioSeconds)) s of audio, \(threads) threads, model \(engine.files.model.lastPathComponent), generator \(engine.network.int8 ? "int8" : "float32")")
        print("streaming: a \(Self.benchParagraph.split(separator: " ").count)-word paragraph (first sentence 12 words), \(stream.chunks.count) chunks, \(String(format: "%.2f", stream.audioSeconds)) s of audio, warm model")
        let reference = try? runReference(engine: engine, voice: voiceName, phonemes: phonemes, chunks: stream.chunks)
        let rows: [(String, Double, Double?)] = [
            ("load (s)", koe.load, reference?.load),
            ("real-time factor", koe.rtf, reference?.rtf),
            ("peak RSS (MB)", koe.peakRSSMB, reference?.peakRSSMB),
            ("first audio (s)", onePass.timeToFirstAudio, reference?.firstChunk),
            ("paragraph RTF", onePass.realTimeFactor, reference?.paragraphRTF),
        ]
        print("metric".padding(toLength: 18, withPad: " ", startingAt: 0) + "koe".leftPad(10) + "onnxruntime".leftPad(14) + "koe/ort".leftPad(10))
        for (name, k, o) in rows {
            let ort = o.map { String(format: "%.3f", $0) } ?? "n/a"
            let ratio = o.map { String(format: "%.2f", k / $0) } ?? "n/a"
            print(name.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%.3f", k).leftPad(10) + ort.leftPad(14) + ratio.leftPad(10))
        }
        let stageText = stages.networkStages.sorted { $0.seconds > $1.seconds }.map { "\($0.name) \(String(format: "%.2f", $0.seconds))" }
        print("koe stages (s, last run): " + stageText.joined(separator: ", "))
        print("first audio: koe from text (front end included) to the first chunk; onnxruntime: the same first chunk's phonemes")
        print("early first audio (first chunk in \(stream.pieces - stream.chunks.count + 1) pieces): "
              + "one pass \(String(format: "%.3f", onePass.timeToFirstAudio)) s, streamed \(String(format: "%.3f", stream.timeToFirstAudio)) s, "
              + "ratio \(String(format: "%.2f", stream.timeToFirstAudio / onePass.timeToFirstAudio)); "
              + "playback \(stream.leastLead >= 0 ? "never starves" : "STARVES") (least lead \(String(format: "%.3f", stream.leastLead)) s, piece \(stream.leanestPiece)); "
              + "paragraph RTF \(String(format: "%.3f", stream.realTimeFactor))")
        let before = stream.firstChunk.networkStages.filter { !["source", "generator", "istft"].contains($0.name) }
        let prep = [("frontEnd", stream.firstChunk.frontEnd)] + before
        print("first chunk before its generator (streamed, last run): "
              + prep.map { "\($0.0) \(String(format: "%.3f", $0.1))" }.joined(separator: ", ")
              + String(format: "; total %.3f s", prep.reduce(0) { $0 + $1.1 }))
        if reference == nil { print("(onnxruntime reference not run: provision it with scripts/provision.sh --dev)") }
    }

    struct Streaming {
        var timeToFirstAudio: Double
        var realTimeFactor: Double
        var audioSeconds: Double
        var chunks: [String]
        /// The smallest lead of a piece over its playback time (from the first piece on, in
        /// real time): negative means playback would have starved.
        var leastLead: Double
        var pieces: Int
        /// The first chunk's stages (last run).
        var firstChunk: StageTimings
        /// The piece (0-based, over the whole paragraph) that had the least lead.
        var leanestPiece: Int
    }

    /// Streams the paragraph (one warm-up, then `runs` times) and keeps the medians.
    func streamingMeasurement(engine: KokoroEngine, voice: String, early: Bool) async throws -> Streaming {
        let synthesizer = SpeechSynthesizer(engine: engine)
        let options = SpeechOptions(voice: voice, language: .americanEnglish, threads: threads, earlyFirstAudio: early)
        var ttfa: [Double] = [], rtf: [Double] = [], leads: [Double] = []
        var chunks: [String] = [], audio = 0.0, pieces = 0
        var firstChunk: [StageTimings] = []
        var leanestPieces: [Int] = []
        for i in 0...max(1, runs) {
            var phonemes: [String] = []
            let started = DispatchTime.now().uptimeNanoseconds
            var firstAt: Double?
            var lead = Double.infinity
            var leanest = 0
            pieces = 0
            for try await event in synthesizer.stream(Self.benchParagraph, options: options) {
                switch event {
                case .audio(let chunk):
                    let now = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                    let start = firstAt ?? now
                    firstAt = start
                    // The first piece starts playback: its lead is zero by definition.
                    if pieces > 0, start + chunk.startTime - now < lead {
                        lead = start + chunk.startTime - now
                        leanest = pieces
                    }
                    pieces += 1
                    if chunk.completesChunk {
                        if phonemes.isEmpty, i > 0 { firstChunk.append(chunk.timings) }
                        phonemes.append(chunk.phonemes)
                    }
                case .finished(let summary):
                    if i > 0 {
                        ttfa.append(summary.timeToFirstAudio)
                        rtf.append(summary.realTimeFactor)
                        leads.append(lead)
                        leanestPieces.append(leanest)
                    }
                    audio = summary.audioSeconds
                }
            }
            chunks = phonemes
        }
        return Streaming(timeToFirstAudio: ttfa.sorted()[ttfa.count / 2], realTimeFactor: rtf.sorted()[rtf.count / 2],
                         audioSeconds: audio, chunks: chunks, leastLead: leads.min() ?? 0, pieces: pieces,
                         firstChunk: firstChunk.last ?? StageTimings(),
                         leanestPiece: leads.indices.min { leads[$0] < leads[$1] }.map { leanestPieces[$0] } ?? 0)
    }

    struct Measurement {
        var load: Double
        var rtf: Double
        var peakRSSMB: Double
        var firstChunk: Double? = nil
        var paragraphRTF: Double? = nil
    }

    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if canImport(Darwin)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        return Double(usage.ru_maxrss) / 1024
        #endif
    }

    /// Runs `scripts/bench_ort.py` (development tooling) with onnxruntime in a separate process.
    func runReference(engine: KokoroEngine, voice: String, phonemes: String, chunks: [String]) throws -> Measurement? {
        if python == "none" { return nil }
        let home = ModelFiles.home()
        let py = python ?? home.appendingPathComponent("venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: py) else { return nil }
        let script = Self.locateScript()
        guard let script, let pack = engine.files.voices.first(where: { $0.pathExtension == "npz" || $0.pathExtension == "bin" })
        else { return nil }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("koe-bench-\(getpid()).txt")
        try phonemes.write(to: tmp, atomically: true, encoding: .utf8)
        let chunkFile = FileManager.default.temporaryDirectory.appendingPathComponent("koe-bench-chunks-\(getpid()).txt")
        try chunks.joined(separator: "\n").write(to: chunkFile, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(at: tmp)
            try? FileManager.default.removeItem(at: chunkFile)
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: py)
        p.arguments = [script, "--model", engine.files.model.path, "--voices", pack.path,
                       "--vocab", engine.files.vocabulary.path, "--voice", voice, "--phonemes-file", tmp.path,
                       "--threads", "\(threads)", "--runs", "\(max(1, runs))", "--chunks-file", chunkFile.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0,
              let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let load = obj["load_s"] as? Double, let rtf = obj["rtf"] as? Double, let rss = obj["peak_rss_mb"] as? Double
        else { return nil }
        var m = Measurement(load: load, rtf: rtf, peakRSSMB: rss)
        m.firstChunk = obj["first_chunk_s"] as? Double
        if let synth = obj["chunks_synth_s"] as? Double, let audio = obj["chunks_audio_s"] as? Double, audio > 0 {
            m.paragraphRTF = synth / audio
        }
        return m
    }

    /// `scripts/bench_ort.py` next to the package, found from the executable's location or the working folder.
    static func locateScript() -> String? {
        var candidates = [FileManager.default.currentDirectoryPath + "/scripts/bench_ort.py"]
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("scripts/bench_ort.py").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }
}

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
