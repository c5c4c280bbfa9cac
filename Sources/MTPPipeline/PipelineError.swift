/// An error the pipeline reports to its user, with the exit status it maps to.
///
/// Messages name the file, line, column or key concerned and never contain credentials.
public struct PipelineError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is; decides the process exit status.
    public enum Kind: Sendable {
        /// The input was refused (a file, a key, an argument): exit 2.
        case refused
        /// Something operational failed (database unreachable, permission, I/O): exit 3.
        case operational
        /// Another run holds the lock: exit 4.
        case busy
        /// The data is older than `--max-data-age`: the work was done and says so, exit 6.
        case stale
    }

    /// The kind of failure.
    public var kind: Kind
    /// What went wrong, in words a user understands.
    public var message: String

    /// Makes an error.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// The exit statuses every command shares (the README's table).
public enum ExitStatus: Int32, Sendable {
    /// All good.
    case success = 0
    /// Rows were rejected but every file was imported.
    case rowsRejected = 1
    /// Input was refused.
    case refused = 2
    /// An operational error: database unreachable, permission, I/O.
    case operational = 3
    /// Another run holds the lock.
    case busy = 4
    /// Interrupted by SIGINT or SIGTERM: the current transaction was rolled back.
    case interrupted = 5
    /// The data is older than `--max-data-age`: the workbook was written and says stale in its title.
    case stale = 6

    /// The status an error maps to: refused input 2, busy 4, stale data 6, everything else 3.
    public init(for error: any Error) {
        if let error = error as? PipelineError {
            switch error.kind {
            case .refused: self = .refused
            case .operational: self = .operational
            case .busy: self = .busy
            case .stale: self = .stale
            }
        } else {
            self = .operational
        }
    }
}
