import ArgumentParser
import MTPPipeline

/// How Central is pulled (`pull-central` and `run`).
struct PullOptions: ParsableArguments {
    @Option(help: "Connections copying at once, all reading one exported snapshot (default: up to 4, no more than this machine's cores, at least 2).")
    var jobs: Int?

    @Option(name: .customLong("max-replica-lag"), help: ArgumentHelp(
        "Refuse a hot-standby Central further behind its primary than this (e.g. 90s, 15min, 2h).", valueName: "duration"))
    var maxReplicaLag = "15min"

    func validate() throws {
        if let jobs, !(1...32).contains(jobs) { throw ValidationError("--jobs \(jobs): give 1 to 32") }
        guard DurationText.parse(maxReplicaLag) != nil else {
            throw ValidationError("--max-replica-lag \(maxReplicaLag): write a duration such as 90s, 15min or 2h")
        }
    }

    /// `--max-replica-lag` in seconds (validated).
    var maxReplicaLagSeconds: Double? { DurationText.parse(maxReplicaLag) }

    /// `pull` with these options.
    func apply(to pull: inout CentralPull) {
        pull.jobs = jobs
        pull.maxReplicaLagSeconds = maxReplicaLagSeconds ?? pull.maxReplicaLagSeconds
    }
}
