import Foundation
import Postgres

/// Streams a file into `COPY ... FROM STDIN` in 1 MiB chunks, never holding it whole.
public enum FileCopy {
    /// Sends `file`'s bytes to `writer`.
    public static func stream(_ file: URL, to writer: CopyInWriter) throws {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: Connection.copyChunkSize), !chunk.isEmpty {
            try chunk.withUnsafeBytes { try writer.write($0) }
        }
    }

    /// Copies a CSV file with a header row into `table` and returns the number of rows.
    @discardableResult
    public static func copyCSV(_ file: URL, into table: String, connection: Connection) throws -> Int {
        try connection.copyIn("copy \(table) from stdin with (format csv, header true)") { try stream(file, to: $0) }
    }
}
