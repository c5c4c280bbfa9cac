import ArgumentParser
import MTPPipeline

/// How old the data may be before a workbook calls it stale (`report` and `run`): a warning on the Summary past
/// `--warn-data-age`, and past `--max-data-age` a stale title, a stale run in the ledger and exit 6.
struct DataAgeOptions: ParsableArguments {
    @Option(name: .customLong("warn-data-age"), help: ArgumentHelp("Past this age of the newest bag scanned or batch output, the Summary begins with a stale warning.", valueName: "duration"))
    var warnDataAge = "24h"

    @Option(name: .customLong("max-data-age"), help: ArgumentHelp("Past this age the data is stale: the workbook says so in its title, and a run is marked stale, calls --on-failure and exits 6.", valueName: "duration"))
    var maxDataAge: String?

    func validate() throws {
        guard DurationText.parse(warnDataAge) != nil else {
            throw ValidationError("--warn-data-age \(warnDataAge) is not a duration (e.g. 90s, 15min, 2h, 3d)")
        }
        if let maxDataAge, DurationText.parse(maxDataAge) == nil {
            throw ValidationError("--max-data-age \(maxDataAge) is not a duration (e.g. 90s, 15min, 2h, 3d)")
        }
    }

    /// `options` with these ages.
    func applied(to options: ManagementReport.Options) -> ManagementReport.Options {
        var options = options
        options.warnDataAge = DurationText.parse(warnDataAge) ?? ReportSession.defaultWarnDataAge
        options.maxDataAge = maxDataAge.flatMap(DurationText.parse)
        return options
    }
}
