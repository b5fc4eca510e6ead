import Dispatch

/// Fork-join parallelism over independent work items.
public enum Parallel {
    /// Runs `body(i)` for `i in 0..<count`, on up to `threads` threads. With one thread or
    /// one item it runs inline. `body` must only write to disjoint memory per index, and
    /// everything it touches outlives the call (it returns only when all items are done).
    public static func forEach(_ count: Int, threads: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if threads <= 1 || count == 1 {
            for i in 0..<count { body(i) }
            return
        }
        let workers = min(threads, count)
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            // Static partition into contiguous blocks: items are similar in cost.
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers
                let hi = count * (w + 1) / workers
                for i in lo..<hi { box.value(i) }
            }
        }
    }
}

/// Carries a non-Sendable closure into `concurrentPerform`, which joins before returning.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A raw pointer (to floats, int8 codes…) that may cross into `Parallel.forEach` workers.
/// Callers guarantee the workers write disjoint regions and that the pointee outlives the
/// parallel section.
public struct UnsafeMutableSendablePointer<Pointee>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Pointee>
    @inlinable public init(_ p: UnsafeMutablePointer<Pointee>) { pointer = p }
}
