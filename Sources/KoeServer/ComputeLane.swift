import Foundation

/// Dedicated threads for synthesis: forward passes (seconds each) run here, never on Swift's
/// cooperative pool or the event loops, so `/health`, `/metrics` and the writes of other
/// streams answer while every slot is busy.
///
/// Work arrives as jobs of tasks that prefer this executor (``run(_:)``); each stream's next
/// chunk is one job, and jobs run first come first served, so active streams take turns by
/// chunk. This file is the only place that knows how; the library's own compute lane can
/// replace it.
final class ComputeLane: TaskExecutor, @unchecked Sendable {
    // `condition` guards `jobs` and `running`; the threads are started once and never stopped
    // (the lane lives as long as the process).
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var running = 0
    let threadCount: Int

    /// One lane per thread count for the whole process: its threads live as long as the
    /// process, so apps built again (tests) share them instead of adding more.
    static func shared(threads: Int) -> ComputeLane {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let lane = sharedLanes[threads] { return lane }
        let lane = ComputeLane(threads: threads)
        sharedLanes[threads] = lane
        return lane
    }

    private static let sharedLock = NSLock()
    // Guarded by `sharedLock`.
    nonisolated(unsafe) private static var sharedLanes: [Int: ComputeLane] = [:]

    private init(threads: Int, name: String = "koe-compute") {
        threadCount = max(1, threads)
        for index in 0..<threadCount {
            let thread = Thread { self.work() }
            thread.name = "\(name)-\(index)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Jobs waiting for a thread, and jobs running.
    var load: (waiting: Int, running: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (jobs.count - head, running)
    }

    /// Runs `operation` with this lane as the task's executor: its synchronous work (and that
    /// of the default actors it calls, such as a speech stream's state) happens on the lane.
    func run<T>(_ operation: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(self) { try await operation() }
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }
}
