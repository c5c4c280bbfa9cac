import ArgumentParser
import Foundation
import MTPPipeline

/// How a planning inbox is taken in (`import-plans` and `run`): the settle time, the archive and the planners' replies.
struct InboxOptions: ParsableArguments {
    @Option(help: "Leave a folder's files modified less than this many seconds ago for the next run (they may still be being copied in); 0 imports them at once. Files named one by one are always imported.")
    var settle: Double = PlanImportOptions.defaults.settleSeconds

    @Option(help: "Move each successfully imported file into this folder (never overwriting).", completion: .directory)
    var archive: String?

    @Option(name: .customLong("rejects-out"), help: "Write into this folder, for every planning file with rejected rows, a reply in the file's own encoding, delimiter and header (the rejected rows as they were, with their line and reason), and for a refused file a text saying why.", completion: .directory)
    var rejectsOut: String?

    func validate() throws {
        guard settle >= 0 else { throw ValidationError("--settle must be 0 or more seconds") }
        var isDirectory: ObjCBool = false
        if let rejectsOut, FileManager.default.fileExists(atPath: rejectsOut, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ValidationError("--rejects-out \(rejectsOut) is a file, not a folder for the planners' replies")
        }
    }

    /// Refuses `--rejects-out` naming one of the folders planning files are read from: its replies (`.csv`) would
    /// be read back as planning files by the next run, and answered again.
    func refuseRepliesInto(_ folders: [String]) throws {
        guard let rejectsOut else { return }
        let resolved = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        if folders.contains(where: { resolved($0) == resolved(rejectsOut) }) {
            throw ValidationError("--rejects-out \(rejectsOut) is a folder planning files are read from: its replies would be read back as planning files; give another folder")
        }
    }

    /// The import's options, as `import-plans` and `run` both take them: how files are read (`reading`, the
    /// defaults unless `import-plans` was told otherwise), this inbox's settle time and archive, and the moment
    /// the files count as received.
    func planImport(reading: PlanImportOptions = .defaults, asOf: AsOfOption) -> PlanImportOptions {
        var options = reading
        options.settleSeconds = settle
        options.archive = archive.map { URL(fileURLWithPath: $0) }
        options.rejectsOut = rejectsOut.map { URL(fileURLWithPath: $0) }
        options.receivedAt = asOf.date
        return options
    }
}
