import Foundation
import Logging

/// Standard error for one level's log lines: each line written whole, with its journal priority when due.
struct JournalPriorityStream: TextOutputStream, Sendable {
    /// The level of every line written through this stream.
    var level: Logger.Level

    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(JournalStream.lines(string, level: level).utf8))
    }
}
