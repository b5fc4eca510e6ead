import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A real `koe serve` process on a free loopback port with the provisioned model.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let output = Pipe()
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    var base: String { "http://127.0.0.1:\(port)" }

    /// The `koe` binary built beside the test bundle.
    static var binary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("koe")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/release/koe")
    }

    /// `environment`: added to this process's for the server.
    init(_ arguments: [String] = [], environment: [String: String] = [:]) async throws {
        process.executableURL = Self.binary
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.arguments = ["serve", "--port", "0", "--log-level", "info"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line on standard output names the port.
        var line = ""
        let handle = output.fileHandleForReading
        while !line.hasSuffix("\n") {
            let byte = handle.readData(ofLength: 1)
            guard !byte.isEmpty else { break }
            line += String(decoding: byte, as: UTF8.self)
        }
        guard let text = line.split(separator: ":").last, let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw LiveError("koe serve printed no port (\(Self.binary.path)): '\(line)'")
        }
        self.port = port
        let key = arguments.firstIndex(of: "--api-key").map { arguments[$0 + 1] }
        for _ in 0..<600 {
            if let r = try? await get("/ready", headers: key.map { [("Authorization", "Bearer \($0)")] } ?? []), r.status == .ok { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw LiveError("koe serve did not become ready")
    }

    struct Reply {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    func request(_ path: String, method: HTTPMethod = .GET, json: [String: Any]? = nil, headers: [(String, String)] = []) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        for (k, v) in headers { request.headers.add(name: k, value: v) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: (try? JSONSerialization.data(withJSONObject: json)) ?? Data()))
        }
        return request
    }

    func send(_ request: HTTPClientRequest) async throws -> Reply {
        let response = try await client.execute(request, timeout: .seconds(300))
        var body: [UInt8] = []
        for try await buffer in response.body { body += buffer.readableBytesView }
        return Reply(status: response.status, headers: response.headers, body: body)
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> Reply {
        try await send(request(path, headers: headers))
    }

    func speech(_ json: [String: Any], path: String = "/v1/audio/speech") async throws -> Reply {
        try await send(request(path, method: .POST, json: json))
    }

    /// CPU seconds the server has used (user + system), from /proc.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticks = (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func stop() async {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? await client.shutdown()
    }
}

struct LiveError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command and returns its standard output.
@discardableResult
func run(_ tool: String, _ arguments: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw LiveError("\(tool) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
    return data
}

/// Decodes any audio file to 24 kHz mono s16 samples with ffmpeg.
func ffmpegDecode(_ bytes: [UInt8], ext: String) throws -> [Int16] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("koe-live-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("a.\(ext)")
    try Data(bytes).write(to: file)
    let input = ext == "pcm" ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : []
    let data = try run("ffmpeg", ["-v", "error", "-nostdin"] + input + ["-i", file.path, "-ac", "1", "-ar", "24000", "-f", "s16le", "-"])
    return int16s(Array(data)[...])
}

func rmsDB(_ s: [Int16]) -> Double {
    let sum = s.reduce(0.0) { $0 + Double($1) * Double($1) }
    return 10 * log10(max(sum / Double(max(1, s.count)), 1e-9))
}
