import Foundation

/// Buffers COPY data and sends it to the server in chunks of ``Connection/copyChunkSize`` bytes.
///
/// Only ``Connection/copyIn(_:_:)`` makes one, for the duration of its body.
public final class CopyInWriter {
    private let connection: Connection
    private let statement: String
    private var buffer: [UInt8]
    private let chunkSize: Int
    /// Bytes sent to the server so far (including what is buffered).
    public private(set) var byteCount = 0

    init(connection: Connection, statement: String, chunkSize: Int) {
        self.connection = connection
        self.statement = statement
        self.chunkSize = chunkSize
        buffer = []
        buffer.reserveCapacity(chunkSize)
    }

    /// Appends raw bytes of COPY data (already in the COPY statement's format).
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        byteCount += bytes.count
        if buffer.count + bytes.count > chunkSize {
            try flush()
            if bytes.count >= chunkSize {
                try send(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    /// Appends UTF-8 text of COPY data.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes of COPY data.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Sends what is buffered.
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try send($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard LibPQ.putCopyData(connection.handle, bytes) else {
            throw PostgresError(
                code: .copy, message: "sending COPY data failed: \(LibPQ.errorMessage(connection.handle).trimmingCharacters(in: .whitespacesAndNewlines))",
                statement: statement, context: connection.endpoint.description)
        }
    }
}

extension Connection {
    /// The size of the chunks COPY data is sent and handed over in: 1 MiB.
    public static let copyChunkSize = 1 << 20

    /// Runs `COPY ... FROM STDIN`, lets `body` write the data, and returns the number of rows copied.
    ///
    /// When `body` throws, the COPY is aborted on the server (nothing is copied) and the error is rethrown.
    @discardableResult
    public func copyIn(_ statement: String, _ body: (CopyInWriter) throws -> Void) throws -> Int {
        let start = try checked(LibPQ.exec(handle, statement), statement: statement, accepting: [.copyIn])
        LibPQ.clear(start)
        let writer = CopyInWriter(connection: self, statement: statement, chunkSize: Self.copyChunkSize)
        do {
            try body(writer)
            try writer.flush()
        } catch {
            _ = LibPQ.putCopyEnd(handle, failure: "COPY aborted by the client: \(error)".prefix(500).description)
            drainResults()
            throw error
        }
        guard LibPQ.putCopyEnd(handle, failure: nil) else {
            drainResults()
            throw PostgresError(code: .copy, message: "ending COPY failed: \(LibPQ.errorMessage(handle))", statement: statement, context: endpoint.description)
        }
        return try finishCopy(statement)
    }

    /// Runs `COPY ... TO STDOUT` and hands the data to `body` in chunks of about 1 MiB, each ending on a row boundary.
    ///
    /// Returns the number of rows copied. Nothing beyond one chunk is held in memory.
    @discardableResult
    public func copyOut(_ statement: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let start = try checked(LibPQ.exec(handle, statement), statement: statement, accepting: [.copyOut])
        LibPQ.clear(start)
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.copyChunkSize + 64 * 1024)
        var failed = false
        do {
            reading: while true {
                let more: Bool = try LibPQ.getCopyRow(handle) { row in
                    switch row {
                    case .row(let bytes):
                        chunk.append(contentsOf: bytes)
                        if chunk.count >= Self.copyChunkSize {
                            try chunk.withUnsafeBytes { try body($0) }
                            chunk.removeAll(keepingCapacity: true)
                        }
                        return true
                    case .done:
                        return false
                    case .failed:
                        failed = true
                        return false
                    }
                }
                if !more { break reading }
            }
            if !chunk.isEmpty, !failed { try chunk.withUnsafeBytes { try body($0) } }
        } catch {
            // The consumer failed: stop reading. libpq has no way to cancel a COPY OUT but to read it to its end
            // or cancel the query; drain so the connection stays usable.
            drainCopyOut()
            throw error
        }
        return try finishCopy(statement)
    }

    private func drainCopyOut() {
        while LibPQ.getCopyRow(handle, { row -> Bool in if case .row = row { return true } else { return false } }) {}
        drainResults()
    }

    private func finishCopy(_ statement: String) throws -> Int {
        var rows = 0
        var failure: (any Error)?
        while let result = LibPQ.getResult(handle) {
            do {
                let checkedResult = try checked(result, statement: statement)
                rows = LibPQ.affectedRows(checkedResult) ?? rows
                LibPQ.clear(checkedResult)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        if !LibPQ.isConnectionUsable(handle) {
            throw PostgresError(code: .connection, message: "connection lost during COPY: \(LibPQ.errorMessage(handle).trimmingCharacters(in: .whitespacesAndNewlines))",
                                statement: statement, context: endpoint.description)
        }
        return rows
    }
}
