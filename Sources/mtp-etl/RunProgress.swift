import Foundation
import MTPPipeline

/// The live progress of a run on a terminal: one line per stage, redrawn in place (elapsed time, count, rate,
/// percent where the total is known), left as a plain line when the stage ends.
final class RunProgress: @unchecked Sendable {
    private let queue = DispatchQueue(label: "mtp.run.progress")
    private var timer: (any DispatchSourceTimer)?
    private var stage: RunStage?
    private var started = Date()
    private var done = 0, total: Int?, unit = ""

    /// Hooks that draw on standard error.
    var observer: ScheduledRun.Observer {
        ScheduledRun.Observer(
            stageStarted: { stage in self.queue.async { self.start(stage) } },
            progress: { stage, done, total, unit in self.queue.async { self.update(stage, done, total, unit) } },
            stageFinished: { summary in self.queue.sync { self.finish(summary) } })
    }

    private func start(_ stage: RunStage) {
        self.stage = stage
        started = Date()
        done = 0
        total = nil
        unit = ""
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: 0.25)
        timer.setEventHandler { [weak self] in self?.draw() }
        timer.resume()
        self.timer = timer
    }

    private func update(_ stage: RunStage, _ done: Int, _ total: Int?, _ unit: String) {
        guard stage == self.stage else { return }
        self.done = done
        self.total = total
        self.unit = unit
    }

    private func draw() {
        guard let stage else { return }
        let seconds = Date().timeIntervalSince(started)
        var line = "  \(stage.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%6.1f s", seconds))"
        if done > 0 {
            line += "  \(done.formatted()) \(unit)"
            if let total, total > 0 { line += String(format: " of %@ (%.0f %%)", total.formatted(), Double(done) / Double(total) * 100) }
            if unit == "rows", seconds > 0 { line += String(format: ", %@ rows/s", Int(Double(done) / seconds).formatted()) }
        }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(line)".utf8))
    }

    private func finish(_ summary: StageSummary) {
        timer?.cancel()
        timer = nil
        stage = nil
        FileHandle.standardError.write(Data("\r\u{1B}[K\(RunOutput.stageLine(summary))\n".utf8))
    }
}
