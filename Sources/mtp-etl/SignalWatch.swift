import Foundation

/// Turns SIGINT and SIGTERM into a call on a background queue (where database work is allowed), instead of
/// the default of dying mid-transaction.
final class SignalWatch {
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32], _ handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops watching; the signals' default actions return.
    func stop() {
        for source in sources {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
        sources = []
    }
}
