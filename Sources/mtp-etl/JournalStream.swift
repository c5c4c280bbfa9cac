import Foundation
import Logging

/// Standard error as systemd's journal reads it.
///
/// A service whose standard error is connected to the journal gets `JOURNAL_STREAM=<device>:<inode>` naming that
/// stream (systemd.exec(5)); only then does a line beginning with `<N>` give its syslog priority N (sd-daemon(3)),
/// so `journalctl -p err` finds the failures. Anywhere else (a terminal, a file, a pipe, cron) lines stay as they are.
enum JournalStream {
    /// True when standard error is the stream `JOURNAL_STREAM` names (its device and inode match).
    static let isStandardError: Bool = matches(ProcessInfo.processInfo.environment["JOURNAL_STREAM"], descriptor: STDERR_FILENO)

    /// Whether `value` (`device:inode`, decimal) names the file open on `descriptor`.
    static func matches(_ value: String?, descriptor: Int32) -> Bool {
        guard let parts = value?.split(separator: ":"), parts.count == 2,
              let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// The syslog priority of a level: 2 critical, 3 error, 4 warning, 5 notice, 6 info, 7 debug (and trace).
    static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// `text` as written to standard error: every line prefixed with its priority when that is the journal.
    static func lines(_ text: String, level: Logger.Level, journal: Bool = isStandardError) -> String {
        guard journal else { return text }
        let prefix = "<\(priority(of: level))>"
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return body.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n") + "\n"
    }
}

/// Standard error for one level's log lines: each line written whole, with its journal priority when due.
struct JournalPriorityStream: TextOutputStream, Sendable {
    /// The level of every line written through this stream.
    var level: Logger.Level

    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(JournalStream.lines(string, level: level).utf8))
    }
}

/// swift-log's stream handler, one per level, so each line carries its level's journal priority; the format is
/// `StreamLogHandler`'s own.
struct JournalLogHandler: LogHandler {
    private var handlers: [Logger.Level: StreamLogHandler]

    /// A handler for `label` at `level`.
    init(label: String, level: Logger.Level) {
        handlers = Dictionary(uniqueKeysWithValues: Logger.Level.allCases.map { level in
            (level, StreamLogHandler(label: label, stream: JournalPriorityStream(level: level)))
        })
        logLevel = level
    }

    var logLevel: Logger.Level {
        get { handlers[.info]!.logLevel }
        set { for key in handlers.keys { handlers[key]!.logLevel = newValue } }
    }

    var metadata: Logger.Metadata {
        get { handlers[.info]!.metadata }
        set { for key in handlers.keys { handlers[key]!.metadata = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { handlers[.info]![metadataKey: key] }
        set { for level in handlers.keys { handlers[level]![metadataKey: key] = newValue } }
    }

    func log(event: LogEvent) {
        handlers[event.level]?.log(event: event)
    }
}
