import Foundation

/// Reads a CSV file's records on a thread of its own, a batch ahead of the caller: parsing the file and
/// checking and staging its rows then run at the same time. At most `capacity` batches wait, so memory stays
/// bounded whatever the file size; a reader error reaches the caller after the records before it, as it would
/// without prefetching.
final class RecordPrefetch: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[CSVRecord]] = []
    private var finished = false
    private var stopped = false
    private var failure: (any Error)?
    private var current: [CSVRecord] = []
    private var index = 0
    private let done = DispatchSemaphore(value: 0)

    private static let batchSize = 1_024
    private static let capacity = 8

    /// Starts reading `reader` (positioned after the header) on a new thread.
    init(_ reader: PlanCSVReader) {
        let task = UncheckedSendable(reader)
        let thread = Thread { [self] in
            self.produce(task.value)
            self.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit { stop() }

    private func produce(_ reader: PlanCSVReader) {
        var batch: [CSVRecord] = []
        batch.reserveCapacity(Self.batchSize)
        do {
            while let record = try reader.next() {
                if record.isBlank { continue }
                batch.append(record)
                if batch.count == Self.batchSize {
                    guard hand(batch) else { return }
                    batch = []
                    batch.reserveCapacity(Self.batchSize)
                }
            }
            if !batch.isEmpty, !hand(batch) { return }
            finish(nil)
        } catch {
            if !batch.isEmpty, !hand(batch) { return }
            finish(error)
        }
    }

    /// Queues a batch; false when the caller has stopped.
    private func hand(_ batch: [CSVRecord]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.capacity && !stopped { condition.wait() }
        guard !stopped else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    private func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next non-blank record, nil at the end; rethrows what the reader threw, in its place.
    func next() throws -> CSVRecord? {
        if index < current.count {
            index += 1
            return current[index - 1]
        }
        condition.lock()
        while batches.isEmpty && !finished { condition.wait() }
        if batches.isEmpty {
            let failure = failure
            condition.unlock()
            if let failure { throw failure }
            return nil
        }
        current = batches.removeFirst()
        condition.broadcast()
        condition.unlock()
        index = 1
        return current[0]
    }

    /// Stops the reading thread and waits for it (also when the caller gives up early).
    func stop() {
        condition.lock()
        let wasStopped = stopped
        stopped = true
        condition.broadcast()
        condition.unlock()
        if !wasStopped { done.wait() }
    }
}
