import Foundation

/// A bounded queue from one producing thread to one consuming thread: the producer runs on a thread of its
/// own (started here, with an 8 MiB stack for deep parsing), at most `capacity` items wait between the two, so
/// memory stays bounded whatever the input's size. The producer's error reaches the consumer after the items
/// queued before it; a consumer that gives up cancels the producer and waits for it.
final class HandOff<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var finished = false
    private var cancelled = false
    private var joined = false
    private var failure: (any Error)?
    private let capacity: Int
    private let done = DispatchSemaphore(value: 0)

    /// Starts `produce` on a new thread; it hands its items over with ``put(_:)``.
    init(capacity: Int, produce: @escaping (HandOff<Element>) throws -> Void) {
        self.capacity = capacity
        let task = UncheckedSendable(produce)
        let thread = Thread { [self] in
            do {
                try task.value(self)
                self.finish(nil)
            } catch {
                self.finish(error)
            }
            self.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Producer side: queues an item, waiting while the queue is full; false once the consumer has cancelled.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
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

    /// Consumer side: the next item, or nil when the producer is done and everything was taken; then
    /// ``producerFailure`` says whether it ended with an error.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    /// The error the producer ended with, if any.
    var producerFailure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Consumer side: stops the producer (its next ``put(_:)`` returns false) and waits until its thread ends.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        waitForProducer()
    }

    /// Waits until the producer's thread has ended (at most once; later calls return at once).
    func waitForProducer() {
        condition.lock()
        let first = !joined
        joined = true
        condition.unlock()
        if first { done.wait() }
    }
}

/// Carries a value to another thread whose use of it is serialised by other means (here: the hand-off's lock
/// and the producer thread's exclusive use until it finishes).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
