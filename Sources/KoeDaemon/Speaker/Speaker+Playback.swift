import Foundation
import KoePlayback

extension Speaker {
    /// What `status` reports.
    public struct Status: Sendable, Equatable {
        public var state: PlaybackState
        public var id: Int?
        public var text: String?
        public var voice: String?
        /// Seconds of the current utterance heard so far.
        public var position: Double
        /// Seconds synthesised so far for it.
        public var duration: Double
        public var synthesized: Bool
        /// Utterances after the current one (started or waiting).
        public var queued: Int
    }

    public var status: Status {
        locked {
            let consumed = output.framesConsumed
            let rate = Double(output.sampleRate)
            // The current utterance is the oldest one not yet heard to its end.
            let current = active.firstIndex { e in !e.synthesized || e.start.map { consumed < $0 + e.written } ?? true }
            let entry = current.map { active[$0] } ?? waiting.first
            let played = entry.flatMap { e in e.start.map { min(max(consumed - $0, 0), e.written) } } ?? 0
            let queued: Int
            if let current { queued = active.count - current - 1 + waiting.count } else { queued = max(waiting.count - 1, 0) }
            return Status(
                state: state, id: entry?.id, text: entry?.utterance.text, voice: entry?.utterance.voice,
                position: Double(played) / rate, duration: Double(entry?.written ?? 0) / rate,
                synthesized: entry?.synthesized ?? false,
                queued: queued)
        }
    }

    /// Starts the task that synthesises the queue into the stream (lock held).
    func startPlayer() {
        let generation = self.generation
        player = Task.detached { [self] in await play(generation: generation) }
    }

    /// Speaks waiting utterances one after another until the queue is empty or this
    /// generation is dropped (a preempting `say` or `stop` starts a new one).
    private func play(generation: Int) async {
        while let entry = begin(generation: generation) {
            let began = DispatchTime.now().uptimeNanoseconds
            var first = true
            do {
                for try await samples in source.audio(for: entry.utterance) {
                    if first {
                        first = false
                        let now = DispatchTime.now().uptimeNanoseconds
                        logger.info("first audio", metadata: [
                            "id": "\(entry.id)",
                            "synthesis_s": "\(String(format: "%.3f", Double(now - began) / 1e9))",
                            "since_accepted_s": "\(String(format: "%.3f", Double(now - entry.accepted) / 1e9))",
                        ])
                    }
                    while output.secondsPending > Self.bufferAhead && isCurrent(generation) {
                        try await Task.sleep(nanoseconds: 20_000_000)
                    }
                    guard append(samples, to: entry.id, generation: generation) else { return }
                }
                finish(entry.id, failure: nil, generation: generation)
            } catch {
                if Task.isCancelled || !isCurrent(generation) { return }
                finish(entry.id, failure: "\(error)", generation: generation)
            }
        }
    }

    /// Moves the next waiting utterance to the active list, marking where its audio starts.
    private func begin(generation: Int) -> Entry? {
        locked {
            guard generation == self.generation, !waiting.isEmpty else {
                if generation == self.generation { player = nil }
                return nil
            }
            var entry = waiting.removeFirst()
            entry.start = output.framesWritten
            active.append(entry)
            return entry
        }
    }

    private func isCurrent(_ generation: Int) -> Bool { locked { generation == self.generation } }

    /// Writes a chunk of this generation's utterance to the stream; false once it was dropped.
    private func append(_ samples: [Float], to id: Int, generation: Int) -> Bool {
        locked {
            guard generation == self.generation, let k = active.firstIndex(where: { $0.id == id }) else { return false }
            do {
                try output.write(samples)
                active[k].written += samples.count
                return true
            } catch {
                active[k].failure = "\(error)"
                return true
            }
        }
    }

    private func finish(_ id: Int, failure: String?, generation: Int) {
        locked {
            guard generation == self.generation, let k = active.firstIndex(where: { $0.id == id }) else { return }
            active[k].synthesized = true
            if let failure { active[k].failure = failure }
        }
    }
}
