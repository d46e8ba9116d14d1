import DVSTensor
import Foundation

/// Recognises many pages in parallel: up to `workers` pages at a time, each
/// worker thread using its own `OCREngine`.
///
/// Engines are created lazily (the first call that needs one) and kept for the
/// life of the pool; `OCRPool.shared(language:)` keeps one pool per language
/// for the life of the process, so engine start-up (0.1–0.5 s each) is paid
/// once. An engine is only ever used by one thread at a time: a worker takes
/// an idle engine (or makes one), recognises its pages, and hands it back.
///
/// Tesseract's own OpenMP threading is turned off on every thread that
/// recognises (see `OCREngine`), and the process gets `OMP_THREAD_LIMIT=1`
/// (unless already set) when the first engine is made — which only reaches
/// child processes, since libgomp reads its environment at load time.
public final class OCRPool: @unchecked Sendable {
    public let language: String
    /// The tessdata folder the pool's engines load from.
    public let tessdataPath: String
    /// How many pages are recognised at once (and at most how many engines exist).
    public let workers: Int

    private let lock = NSLock()
    private var idle: [OCREngine] = []
    private var created = 0

    /// A pool for `language`; no engine is started yet. Fails at once (naming
    /// the folders searched) when the language data cannot be found.
    /// `workers` defaults to the number of active cores.
    public init(
        language: String = "eng", tessdata: String? = nil,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws(VisionError) {
        guard workers >= 1 else { throw VisionError("OCR pool: workers must be at least 1, got \(workers)") }
        self.tessdataPath = try OCREngine.findTessdata(language: language, tessdata: tessdata)
        self.language = language
        self.workers = workers
    }

    nonisolated(unsafe) private static var pools: [String: OCRPool] = [:]
    private static let poolsLock = NSLock()

    /// The process-wide pool for `language` (default tessdata search, one
    /// worker per core), made on first use and kept alive.
    public static func shared(language: String = "eng") throws(VisionError) -> OCRPool {
        poolsLock.lock()
        defer { poolsLock.unlock() }
        if let pool = pools[language] { return pool }
        let pool = try OCRPool(language: language)
        pools[language] = pool
        return pool
    }

    /// Engines started so far.
    public var engineCount: Int { lock.withLock { created } }

    /// Recognise every image (see `OCREngine.recognize`); results are in input
    /// order. Inputs are checked before any work starts; if a page still fails,
    /// the error of the first failing page (in input order) is thrown. When
    /// `Cancellation` asks, this returns within 20 ms with
    /// `VisionError.interrupted` (no partial results); no further page is
    /// started, and pages under way stop in the background.
    public func recognizeAll(_ images: [Image], level: OCRLevel = .word, psm: Int = OCREngine.defaultPSM) throws(VisionError) -> [[Box]] {
        for (i, image) in images.enumerated() {
            do { try OCREngine.validate(image, psm: psm) } catch { throw VisionError("OCR page \(i): \(error.message.dropPrefix("OCR: "))") }
        }
        if images.isEmpty { return [] }
        let n = images.count
        let job = Job(pages: n)
        let next = Counter()
        let threads = Swift.min(workers, n)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global(qos: .userInitiated).async {
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                // Each index is taken by exactly one worker; a worker that
                // finds nothing left (or is told to stop) never touches an engine.
                guard !job.stop.isRaised, let first = next.take(below: n) else { return }
                let engine: OCREngine
                do throws(VisionError) { engine = try self.checkout() } catch {
                    // Could not start an engine: the pages this worker takes get the error.
                    var i: Int? = first
                    while let j = i { job.set(j, .failure(error)); i = next.take(below: n) }
                    return
                }
                defer { self.checkin(engine) }
                var i: Int? = first
                while let j = i, !job.stop.isRaised {
                    do throws(VisionError) { job.set(j, .success(try engine.recognize(images[j], level: level, psm: psm, stop: job.stop))) } catch {
                        job.set(j, .failure(error))
                    }
                    i = next.take(below: n)
                }
            }
            done.signal()
        }
        // Tesseract's layout analysis has no cancel point (13–20 s on a
        // 2000×2000 noise page), so the caller does not wait for it: on
        // Ctrl-C it returns at once; pages under way stop at Tesseract's next
        // cancel point in the background, and their engines then go back to the pool.
        while done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            if job.stop.isRaised { throw VisionError.interrupted }
        }
        let results = job.results
        if job.stop.isRaised || results.contains(where: { if case .failure(let e) = $0 { e.isInterruption } else { false } }) {
            throw VisionError.interrupted
        }
        var pages: [[Box]] = []
        pages.reserveCapacity(n)
        for (i, r) in results.enumerated() {
            switch r {
            case .success(let boxes): pages.append(boxes)
            case .failure(let e): throw VisionError("OCR page \(i): \(e.message.dropPrefix("OCR: "))")
            }
        }
        return pages
    }

    /// Runs `body` with an engine of the pool to itself (an idle one, or a new
    /// one), for a caller that runs its own worker threads (`dvs label`'s
    /// page pipeline); the engine goes back to the pool afterwards.
    public func withEngine<T>(_ body: (OCREngine) throws(VisionError) -> T) throws(VisionError) -> T {
        let engine = try checkout()
        defer { checkin(engine) }
        return try body(engine)
    }

    private func checkout() throws(VisionError) -> OCREngine {
        lock.lock()
        if let engine = idle.popLast() {
            lock.unlock()
            return engine
        }
        created += 1
        lock.unlock()
        do {
            return try OCREngine(language: language, tessdata: tessdataPath)
        } catch {
            lock.withLock { created -= 1 }
            throw error
        }
    }

    private func checkin(_ engine: OCREngine) {
        lock.withLock { idle.append(engine) }
    }
}

/// Hands out 0, 1, 2, … to concurrent workers.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take(below n: Int) -> Int? {
        lock.withLock {
            guard value < n else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// One `recognizeAll` call's pages, shared with its workers, which may
/// outlive the call when it was interrupted.
private final class Job: @unchecked Sendable {
    let stop = OCRStop()
    private let lock = NSLock()
    // A page no worker reached (the call was stopped) stays "interrupted".
    private var pages: [Result<[Box], VisionError>]

    init(pages n: Int) { pages = Array(repeating: .failure(.interrupted), count: n) }

    func set(_ i: Int, _ result: Result<[Box], VisionError>) { lock.withLock { pages[i] = result } }
    var results: [Result<[Box], VisionError>] { lock.withLock { pages } }
}

private extension String {
    func dropPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}
