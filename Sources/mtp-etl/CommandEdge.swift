import ArgumentParser
import Foundation
import Logging
import MTPPipeline

/// Where commands meet the user: errors become one message on stderr and the shared exit status.
enum CommandEdge {
    /// Runs `body`; on an error prints `mtp-etl: <message>` to stderr and exits with the error's status.
    ///
    /// SIGINT or SIGTERM ends the command at once with exit 5: its open transaction ends with the session, so
    /// PostgreSQL rolls it back and nothing of the interrupted work is kept. `run`, which stops its stage itself
    /// and records it in the ledger, says `interruptible: false`.
    static func run(interruptible: Bool = true, _ body: () throws -> Void) throws {
        let signals = interruptible ? SignalWatch(signals: [SIGINT, SIGTERM]) { signal in
            printError("mtp-etl: interrupted by signal \(signal): the work under way is rolled back", level: .error)
            _exit(ExitStatus.interrupted.rawValue)
        } : nil
        defer { signals?.stop() }
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let refusal as ValidationError {
            printError("mtp-etl: \(refusal.message)", level: .error)
            throw ExitCode(ExitStatus.refused.rawValue)
        } catch {
            printError("mtp-etl: \(error)", level: .error)
            throw ExitCode(ExitStatus(for: error).rawValue)
        }
    }

    /// Sends swift-log's messages to standard error, once per process (with journal priorities under systemd).
    static func bootstrapLogging(level: Logger.Level = .info) {
        LoggingLevel.shared.set(level)
        _ = loggingBootstrap
    }

    private static let loggingBootstrap: Void = {
        LoggingSystem.bootstrap { label in
            if JournalStream.isStandardError { return JournalLogHandler(label: label, level: LoggingLevel.shared.get()) }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = LoggingLevel.shared.get()
            return handler
        }
    }()

    /// Writes a line to standard error, as a message of `level` (its priority when that is the journal).
    static func printError(_ line: String, level: Logger.Level = .info) {
        FileHandle.standardError.write(Data(JournalStream.lines(line + "\n", level: level).utf8))
    }
}

/// The level handlers are made with (set once, before the first logger).
final class LoggingLevel: @unchecked Sendable {
    static let shared = LoggingLevel()
    private let lock = NSLock()
    private var level = Logger.Level.info

    func set(_ level: Logger.Level) {
        lock.lock()
        self.level = level
        lock.unlock()
    }

    func get() -> Logger.Level {
        lock.lock()
        defer { lock.unlock() }
        return level
    }
}
