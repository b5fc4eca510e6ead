import Foundation

/// Admission control for synthesis: at most `maxConcurrent` streams hold a slot, at most
/// `queueSize` more wait for one in arrival order, and anything beyond is refused at once
/// (the route answers 429 with `Retry-After`).
final class AdmissionLimiter: @unchecked Sendable {
    /// Why a request was not admitted.
    enum Refusal: Error, Equatable {
        case queueFull(active: Int, waiting: Int)
    }

    let maxConcurrent: Int
    let queueSize: Int
    // `lock` guards everything below.
    private let lock = NSLock()
    private var active = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    init(maxConcurrent: Int, queueSize: Int) {
        self.maxConcurrent = max(1, maxConcurrent)
        self.queueSize = max(0, queueSize)
    }

    /// Streams holding a slot and requests waiting for one.
    var depth: (active: Int, waiting: Int) {
        lock.withLock { (active, waiters.count) }
    }

    /// Takes a slot, waiting in line when all are busy; throws ``Refusal`` when the line is
    /// full, and `CancellationError` when the waiting task is cancelled (its client left).
    func acquire() async throws -> Permit {
        let id: UInt64
        switch try tryAcquire() {
        case .admitted: return Permit(limiter: self)
        case .queued(let ticket): id = ticket
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if !enqueue(id, continuation) { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            dequeue(id)?.resume(throwing: CancellationError())
        }
        return Permit(limiter: self)
    }

    private enum Admission { case admitted, queued(UInt64) }

    private func tryAcquire() throws -> Admission {
        try lock.withLock {
            if active < maxConcurrent {
                active += 1
                return .admitted
            }
            guard waiters.count < queueSize else { throw Refusal.queueFull(active: active, waiting: waiters.count) }
            nextID += 1
            return .queued(nextID)
        }
    }

    /// Joins the line; false when the task was cancelled first.
    private func enqueue(_ id: UInt64, _ continuation: CheckedContinuation<Void, any Error>) -> Bool {
        lock.withLock {
            if Task.isCancelled { return false }
            waiters.append((id, continuation))
            return true
        }
    }

    private func dequeue(_ id: UInt64) -> CheckedContinuation<Void, any Error>? {
        lock.withLock {
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: index).continuation
        }
    }

    /// Hands the slot to the next waiter, or frees it.
    fileprivate func release() {
        let next: CheckedContinuation<Void, any Error>? = lock.withLock {
            if waiters.isEmpty {
                active -= 1
                return nil
            }
            return waiters.removeFirst().continuation
        }
        next?.resume()
    }

    /// A held slot, given back once: by ``release()`` or, as a safety net, when dropped.
    final class Permit: @unchecked Sendable {
        private let limiter: AdmissionLimiter
        // Guarded by `lock`.
        private var released = false
        private let lock = NSLock()

        fileprivate init(limiter: AdmissionLimiter) { self.limiter = limiter }

        func release() {
            let first = lock.withLock {
                defer { released = true }
                return !released
            }
            if first { limiter.release() }
        }

        deinit { release() }
    }
}
