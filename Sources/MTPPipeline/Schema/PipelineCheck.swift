import Postgres

/// `mtp-etl check`: the schema contract of both systems and the state of the migrations.
public struct PipelineCheck: Sendable {
    /// What the check found.
    public struct Report: Sendable {
        /// Differences that stop the pipeline, and migrations not current.
        public var problems: [String] = []
        /// Differences worth knowing that do not stop anything (extra columns).
        public var notices: [String] = []
    }

    /// The project's files (for the migrations).
    public let files: ProjectFiles

    /// A check using `files`.
    public init(files: ProjectFiles) {
        self.files = files
    }

    /// Connects to both systems and checks them.
    public func run(_ configuration: DatabaseConfiguration) throws -> Report {
        var report = Report()
        try Connection.withConnection(configuration.manager) { manager in
            add(try SchemaCheck(system: "manager", tables: SourceContract.manager).run(manager), to: &report)
            for state in try Migrator(directory: files.migrations).status(manager) where state.kind != .applied {
                report.problems.append("manager: migration \(state.migration.file.lastPathComponent) is \(state.kind.rawValue) (run: mtp-etl migrate)")
            }
        }
        try Connection.withConnection(configuration.central) { central in
            add(try SchemaCheck(system: "central", tables: SourceContract.central).run(central), to: &report)
        }
        return report
    }

    private func add(_ findings: [SchemaCheck.Finding], to report: inout Report) {
        for finding in findings {
            switch finding.severity {
            case .problem: report.problems.append(finding.message)
            case .notice: report.notices.append(finding.message)
            }
        }
    }
}
