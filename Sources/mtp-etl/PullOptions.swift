import ArgumentParser
import MTPPipeline

/// How Central is pulled (`pull-central` and `run`): one mapping to the pull's own options.
struct PullOptions: ParsableArguments {
    @Option(help: "Connections copying at once, all reading one exported snapshot (default: up to 4, no more than this machine's cores, at least 2).")
    var jobs: Int?

    @Option(name: .customLong("max-replica-lag"), help: ArgumentHelp(
        "Refuse a hot-standby Central further behind its primary than this (e.g. 90s, 15min, 2h; default \(DurationText.format(CentralPull.Options.defaultMaxReplicaLagSeconds))).",
        valueName: "duration"))
    var maxReplicaLag: String?

    func validate() throws {
        if let jobs, !(1...32).contains(jobs) { throw ValidationError("--jobs \(jobs): give 1 to 32") }
        if let maxReplicaLag, DurationText.parse(maxReplicaLag) == nil {
            throw ValidationError("--max-replica-lag \(maxReplicaLag): write a duration such as 90s, 15min or 2h")
        }
    }

    /// The pull's options (validated).
    var pullOptions: CentralPull.Options {
        CentralPull.Options(jobs: jobs, maxReplicaLagSeconds: maxReplicaLag.flatMap(DurationText.parse))
    }
}
