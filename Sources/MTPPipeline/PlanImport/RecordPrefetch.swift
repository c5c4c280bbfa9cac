import Foundation

/// Reads a CSV file's records on a thread of its own, a batch ahead of the caller: parsing the file and
/// checking and staging its rows then run at the same time. At most a few batches wait (a ``HandOff``), so
/// memory stays bounded whatever the file size; a reader error reaches the caller after the records before it,
/// as it would without prefetching.
final class RecordPrefetch {
    private let handOff: HandOff<[CSVRecord]>
    private var current: [CSVRecord] = []
    private var index = 0
    private let blanks = BlankCount()

    /// Rows of empty fields only that were skipped; final once ``next()`` has returned nil.
    var blankRecords: Int { blanks.value }

    private static let batchSize = 1_024

    /// Starts reading `reader` (positioned after the header) on a new thread.
    init(_ reader: PlanCSVReader) {
        let task = UncheckedSendable(reader)
        let blanks = self.blanks
        handOff = HandOff(capacity: 8) { handOff in
            var batch: [CSVRecord] = []
            batch.reserveCapacity(Self.batchSize)
            do {
                while let record = try task.value.next() {
                    if record.isBlank { blanks.add(); continue }
                    batch.append(record)
                    if batch.count == Self.batchSize {
                        guard handOff.put(batch) else { return }
                        batch = []
                        batch.reserveCapacity(Self.batchSize)
                    }
                }
            } catch {
                if !batch.isEmpty, !handOff.put(batch) { return }
                throw error
            }
            if !batch.isEmpty { _ = handOff.put(batch) }
        }
    }

    deinit { stop() }

    /// The next non-blank record, nil at the end; rethrows what the reader threw, in its place.
    func next() throws -> CSVRecord? {
        if index == current.count {
            guard let batch = handOff.take() else {
                if let failure = handOff.producerFailure { throw failure }
                return nil
            }
            current = batch
            index = 0
        }
        index += 1
        return current[index - 1]
    }

    /// Stops the reading thread and waits for it (also when the caller gives up early).
    func stop() {
        handOff.cancel()
    }
}

/// A count written by the reading thread and read by the caller once reading is over.
private final class BlankCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func add() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
