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
/// At most `capacity` chunks wait between the two (a ``HandOff``): memory stays bounded whatever the file size.
final class CopyPipeline: CopyRowSink {
    private let handOff: HandOff<[UInt8]>
    private var current: [UInt8] = []
    private let chunkSize = Connection.copyChunkSize

    private init(handOff: HandOff<[UInt8]>) {
        self.handOff = handOff
        current.reserveCapacity(chunkSize + 4096)
    }

    /// Runs `produce` on a new thread, writing into the pipeline, and sends what it writes to `writer`.
    /// Rethrows the producer's error, or the sending error (after stopping the producer).
    static func run(into writer: CopyInWriter, capacity: Int = 4, produce: @escaping (CopyPipeline) throws -> Void) throws {
        let handOff = HandOff<[UInt8]>(capacity: capacity) { handOff in
            let pipeline = CopyPipeline(handOff: handOff)
            try produce(pipeline)
            if !pipeline.current.isEmpty { try pipeline.handOver() }
        }
        do {
            while let chunk = handOff.take() {
                try chunk.withUnsafeBytes { try writer.write($0) }
            }
        } catch {
            handOff.cancel()
            throw error
        }
        handOff.waitForProducer()
        if let failure = handOff.producerFailure { throw failure }
    }

    /// Producer side: appends bytes, handing over a chunk when it is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        current.append(contentsOf: bytes)
        if current.count >= chunkSize { try handOver() }
    }

    private func handOver() throws {
        guard handOff.put(current) else { throw CancellationError() }
        current = []
        current.reserveCapacity(chunkSize + 4096)
    }
}
