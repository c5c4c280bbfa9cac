import ArgumentParser
import Foundation

/// `--as-of`: the moment a command stands for, when it is not now (loading a history of planning files,
/// replaying a day, the demo).
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "Act as at this moment (ISO 8601 with a zone, e.g. 2026-11-13T18:30:00+05:30): planning files count as received then and `today` is its day. The ledgers still record the real times.",
        valueName: "time"))
    var asOf: String?

    /// The moment, parsed.
    var date: Date? {
        asOf.flatMap(Self.parse)
    }

    func validate() throws {
        if let asOf, Self.parse(asOf) == nil {
            throw ValidationError("--as-of \(asOf): write the moment with its zone, like 2026-11-13T18:30:00+05:30 or 2026-11-13T13:00:00Z")
        }
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds]] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
