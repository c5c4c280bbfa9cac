import Foundation
import Logging

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
