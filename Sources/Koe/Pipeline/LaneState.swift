import Foundation
import KoeCompute

/// The lane's queue and threads. Every field is guarded by `condition`'s lock.
final class LaneState: @unchecked Sendable {
    /// One forward pass waiting or running. `body` and `cancelled` are set before the job is
    /// queued, and exactly one of them is called. `body` computes and returns the step that
    /// hands the result to the waiting task, which runs after the counters are updated.
    final class Job: @unchecked Sendable {
        var body: (() -> (() -> Void))?
        var cancelled: (() -> Void)?
        private let flag = NSLock()
        private var cancelRequested = false

        /// Set when the waiting task is cancelled, whether the job is queued or running.
        var isCancelRequested: Bool { flag.withLock { cancelRequested } }
        func requestCancel() { flag.withLock { cancelRequested = true } }
    }

    private let condition = NSCondition()
    private var queues: [Int: [Job]] = [:]
    /// Streams with queued work, in round-robin order.
    private var turn: [Int] = []
    private var admitted: Set<Int> = []
    private var nextID = 0
    private var stopped = false
    private var stats = ComputeLane.Statistics(running: 0, queued: 0, activeStreams: 0, peakRunning: 0, completed: 0, refused: 0)

    init(lanes: Int, niceness: Int) {
        for i in 0..<lanes {
            let thread = Thread {
                ThreadPriority.lowerCurrentThread(by: niceness)
                self.work()
            }
            thread.name = "koe-compute-\(i)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    var statistics: ComputeLane.Statistics {
        condition.lock()
        defer { condition.unlock() }
        return stats
    }

    func admit(limit: Int?) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        if let limit, admitted.count >= limit {
            stats.refused += 1
            return nil
        }
        nextID += 1
        admitted.insert(nextID)
        stats.activeStreams = admitted.count
        return nextID
    }

    func release(_ id: Int) {
        condition.lock()
        defer { condition.unlock() }
        admitted.remove(id)
        stats.activeStreams = admitted.count
    }

    func enqueue(_ job: Job, stream: Int) {
        condition.lock()
        if queues[stream, default: []].isEmpty { turn.append(stream) }
        queues[stream, default: []].append(job)
        stats.queued += 1
        condition.signal()
        condition.unlock()
    }

    /// Takes `job` out of the queue if it is still waiting and reports it cancelled; a running
    /// job sees the request at its next checkpoint.
    func cancel(_ job: Job) {
        job.requestCancel()
        condition.lock()
        var found = false
        for (stream, jobs) in queues {
            if let i = jobs.firstIndex(where: { $0 === job }) {
                queues[stream]?.remove(at: i)
                if queues[stream]?.isEmpty == true {
                    queues[stream] = nil
                    turn.removeAll { $0 == stream }
                }
                stats.queued -= 1
                found = true
                break
            }
        }
        condition.unlock()
        if found { job.cancelled?() }
    }

    /// Lets the threads finish once the queue is empty.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// A lane thread: takes the next stream's oldest job, round robin, and runs it.
    private func work() {
        while true {
            condition.lock()
            while turn.isEmpty && !stopped { condition.wait() }
            if turn.isEmpty {
                condition.unlock()
                return
            }
            let stream = turn.removeFirst()
            var jobs = queues[stream] ?? []
            let job = jobs.removeFirst()
            if jobs.isEmpty {
                queues[stream] = nil
            } else {
                queues[stream] = jobs
                turn.append(stream)
            }
            stats.queued -= 1
            stats.running += 1
            stats.peakRunning = max(stats.peakRunning, stats.running)
            condition.unlock()

            let deliver = job.body?()

            condition.lock()
            stats.running -= 1
            stats.completed += 1
            condition.unlock()
            deliver?()
        }
    }
}
