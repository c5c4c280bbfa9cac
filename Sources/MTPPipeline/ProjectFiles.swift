import Foundation

/// The project's own files the pipeline reads at run time: migrations, fixtures, report definitions.
public struct ProjectFiles: Sendable {
    /// The project directory (the one holding `sql/migrations`).
    public let root: URL

    /// Files under `root`.
    public init(root: URL) {
        self.root = root
    }

    /// `sql/migrations`.
    public var migrations: URL { root.appendingPathComponent("sql/migrations") }
    /// `sql/fixtures`.
    public var fixtures: URL { root.appendingPathComponent("sql/fixtures") }
    /// `reports`.
    public var reports: URL { root.appendingPathComponent("reports") }

    /// Finds the project: `MTP_HOME`, else the working directory or one above it, else the executable's
    /// directory or one above it (`.build/debug/mtp-etl` lives three levels below the project).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ProjectFiles {
        var starts: [URL] = []
        if let home = environment["MTP_HOME"], !home.isEmpty { starts.append(URL(fileURLWithPath: home)) }
        starts.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() { starts.append(executable.deletingLastPathComponent()) }
        for start in starts {
            var candidate = start.standardizedFileURL
            for _ in 0..<6 {
                if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("sql/migrations").path) {
                    return ProjectFiles(root: candidate)
                }
                candidate.deleteLastPathComponent()
            }
        }
        throw PipelineError(.operational, "cannot find the project's sql/migrations directory: run from the project directory or set MTP_HOME")
    }
}
