import Foundation
import Postgres

/// Where COPY rows are written: straight to the server, or to a queue another thread sends from.
protocol CopyRowSink: AnyObject {
    /// Appends bytes of COPY data.
    func write(_ bytes: UnsafeRawBufferPointer) throws
}

extension CopyInWriter: CopyRowSink {}

/// Runs the producing of COPY data (reading, parsing, checking a file) on its own thread while the calling
/// thread sends finished 1 MiB chunks to the server, so that client and server work at the same time.
///
/// At most `capacity` chunks wait between the two: memory stays bounded whatever the file size.
final class CopyPipeline: CopyRowSink, @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [[UInt8]] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?
    private var current: [UInt8] = []
    private let chunkSize = Connection.copyChunkSize
    private let capacity: Int

    private init(capacity: Int) {
        self.capacity = capacity
        current.reserveCapacity(chunkSize + 4096)
    }

    /// Runs `produce` on a new thread, writing into the pipeline, and sends what it writes to `writer`.
    /// Rethrows the producer's error, or the sending error (after stopping the producer).
    static func run(into writer: CopyInWriter, capacity: Int = 4, produce: @escaping (CopyPipeline) throws -> Void) throws {
        let pipeline = CopyPipeline(capacity: capacity)
        let done = DispatchSemaphore(value: 0)
        let task = UncheckedSendable(produce)
        let thread = Thread {
            var failure: (any Error)?
            do { try task.value(pipeline) } catch { failure = error }
            pipeline.finish(failure)
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        do {
            while let chunk = pipeline.next() {
                try chunk.withUnsafeBytes { try writer.write($0) }
            }
        } catch {
            pipeline.cancel()
            done.wait()
            throw error
        }
        done.wait()
        if let failure = pipeline.producerFailure { throw failure }
    }

    /// Producer side: appends bytes, handing over a chunk when it is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        current.append(contentsOf: bytes)
        if current.count >= chunkSize { try handOver() }
    }

    private func handOver() throws {
        condition.lock()
        defer { condition.unlock() }
        while ready.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        ready.append(current)
        current = []
        current.reserveCapacity(chunkSize + 4096)
        condition.broadcast()
    }

    private func finish(_ error: (any Error)?) {
        if error == nil, !current.isEmpty { try? handOver() }
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer side: the next chunk, or nil when the producer is done.
    private func next() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let chunk = ready.removeFirst()
        condition.broadcast()
        return chunk
    }

    private var producerFailure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    private func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Carries a value to another thread whose use of it is serialised by other means (here: the pipeline's lock
/// and the producer thread's exclusive use until it finishes).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
