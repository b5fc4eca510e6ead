import Foundation
import Hummingbird
import Koe

/// Voices, models, liveness, readiness, metrics and the OpenAPI document.
struct InfoRoutes {
    let state: ServerState

    /// The model names `/v1/models` lists; any name is accepted by the speech routes.
    static let models = ["kokoro", "tts-1", "tts-1-hd", "gpt-4o-mini-tts"]
    /// When the models "were created", for OpenAI's `created` field: Kokoro v1.0's release (2025-01-27).
    static let created = 1_737_936_000

    struct Model: Encodable {
        var id: String
        var object = "model"
        var created = InfoRoutes.created
        var owned_by = "koe"
    }

    struct ModelList: Encodable {
        var object = "list"
        var data: [Model]
    }

    func register(on router: Router<KoeRequestContext>) {
        let state = self.state
        router.get("/v1/audio/voices") { request, _ in
            let (_, catalog) = try state.slot.ready()
            if request.uri.queryParameters.get("legacy") == "true" {
                return try JSONCoding.response(["voices": catalog.voices])
            }
            return try JSONCoding.response(VoiceList(voices: catalog.entries, default: catalog.defaultVoice,
                                                     openai_voices: Dictionary(uniqueKeysWithValues: VoiceCatalog.openAIVoices.map { ($0.openAI, catalog.openAIVoice($0.openAI) ?? catalog.defaultVoice) })))
        }
        router.get("/v1/models") { _, _ in
            try JSONCoding.response(ModelList(data: Self.models.map { Model(id: $0) }))
        }
        router.get("/v1/models/{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard Self.models.contains(id) else {
                throw APIError(status: .notFound, message: "the model '\(id)' does not exist; models: \(Self.models.joined(separator: ", "))",
                               param: "model", code: "model_not_found")
            }
            return try JSONCoding.response(Model(id: id))
        }
        router.get("/health") { _, _ in
            try JSONCoding.response(["status": "healthy"])
        }
        router.get("/ready") { _, _ in
            switch state.slot.current {
            case .ready(let synthesizer, _):
                let lane = synthesizer.lane.statistics
                return try JSONCoding.response(Readiness(status: "ready", voices: synthesizer.voices.count,
                                                         active: lane.activeStreams, waiting: lane.queued))
            case .loading: throw APIError.loading(retryAfter: 2)
            case .failed: _ = try state.slot.ready()
            }
            throw APIError.loading(retryAfter: 2)
        }
        router.get("/metrics") { _, _ in
            state.recordLane()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: state.metrics.exposition())))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.json(maxInputCharacters: state.configuration.maxInputCharacters))))
        }
    }

    struct VoiceList: Encodable {
        var voices: [VoiceCatalog.Entry]
        var `default`: String
        /// OpenAI's voice names and the loaded voice each one speaks with.
        var openai_voices: [String: String]
    }

    struct Readiness: Encodable {
        var status: String
        var voices: Int
        /// Streams admitted to the compute lane.
        var active: Int
        /// Chunks waiting for their turn on it.
        var waiting: Int
    }
}
