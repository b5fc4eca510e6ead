import Foundation
import Logging

/// Loads Kokoro-82M v1.0's weights from `kokoro-v1.0.int8.onnx` (de-quantised to float32) or
/// `kokoro-v1.0.onnx` (fp32), through a cache of converted tensors.
public enum KokoroWeightsLoader {
    /// Where a `load` found its tensors.
    enum Source: Equatable {
        /// Read from a valid cache file.
        case cache
        /// Converted from the model; `rejectedCache` says why an existing cache was not used.
        case model(rejectedCache: String?)
    }

    /// The weights of `model`, validated against Kokoro-82M's 458 tensors.
    ///
    /// With a `cacheDirectory` (created if needed), the first load converts the model and
    /// writes a cache file there; later loads memory-map that file instead, which takes a
    /// fraction of a second. The cache is keyed by the model's size and modification time,
    /// and a stale, truncated or corrupted cache is rebuilt rather than trusted. Failing to
    /// write the cache is logged, not thrown.
    ///
    /// - Throws: `KokoroModelError` describing an unreadable, malformed, non-ONNX or
    ///   non-Kokoro file, or every missing, mis-shaped and unexpected tensor at once.
    public static func load(model: URL, cacheDirectory: URL?, logger: Logger? = nil) throws -> WeightStore {
        try loadReportingSource(model: model, cacheDirectory: cacheDirectory, logger: logger).store
    }

    static func loadReportingSource(model: URL, cacheDirectory: URL?, logger: Logger?) throws
        -> (store: WeightStore, source: Source) {
        let key = try WeightCache.SourceKey(of: model)
        let clock = ContinuousClock()
        var rejected: String?
        if let cacheDirectory {
            let cacheURL = WeightCache.url(for: model, in: cacheDirectory)
            if FileManager.default.fileExists(atPath: cacheURL.path) {
                let start = clock.now
                do {
                    let store = try WeightCache.read(cacheURL, source: key)
                    let report = WeightManifest.check(shapes: store.shapes)
                    guard report.isClean else { throw WeightCache.Invalid("its tensors do not match the manifest") }
                    logger?.info("loaded \(store.shapes.count) weight tensors from cache \(cacheURL.path) in \(seconds(clock.now - start))")
                    return (store, .cache)
                } catch let error as WeightCache.Invalid {
                    rejected = error.description
                    logger?.notice("weight cache \(cacheURL.path) rejected (\(error.description)); rebuilding it")
                }
            }
        }
        let start = clock.now
        let store = try ONNXWeightExtractor.load(model: model)
        logger?.info("converted \(store.shapes.count) weight tensors from \(model.path) in \(seconds(clock.now - start))")
        if let cacheDirectory {
            let cacheURL = WeightCache.url(for: model, in: cacheDirectory)
            do {
                let writeStart = clock.now
                try FileManager.default.createDirectory(at: cacheDirectory, withIntermediateDirectories: true)
                try WeightCache.write(store, source: key, to: cacheURL)
                logger?.debug("wrote weight cache \(cacheURL.path) in \(seconds(clock.now - writeStart))")
            } catch {
                logger?.warning("could not write the weight cache \(cacheURL.path): \(error)")
            }
        }
        return (store, .model(rejectedCache: rejected))
    }

    private static func seconds(_ d: Duration) -> String {
        let c = d.components
        let s = Double(c.seconds) + Double(c.attoseconds) * 1e-18
        return String(format: "%.3f s", s)
    }
}
