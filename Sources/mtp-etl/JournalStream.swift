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
