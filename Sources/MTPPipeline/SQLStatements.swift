import Foundation

/// SQL statements kept as files of the project, one statement a file, values always bound as parameters:
/// `sql/trace` (the trace's answers and the audit workbook's gathering), `sql/import` (the planning normaliser),
/// `sql/operations` (what monitoring reads). Swift binds, reads rows and shapes output; the SQL stays in SQL.
struct SQLStatements: Sendable {
    /// The folder of the statements.
    let directory: URL

    /// The statements of `sql/<folder>` of `files`.
    init(_ folder: String, files: ProjectFiles) {
        directory = files.root.appendingPathComponent("sql").appendingPathComponent(folder)
    }

    /// The statements of `sql/<folder>` of `files`, or of the project found from the working directory,
    /// `MTP_HOME` or the binary.
    static func of(_ folder: String, files: ProjectFiles?) throws -> SQLStatements {
        SQLStatements(folder, files: try files ?? ProjectFiles.locate())
    }

    /// The trace's statements (`sql/trace`): forward ones take `$1` barcode, or `$2` kind, `$3` code and `$4`
    /// created_ts; backward ones `$1` request, `$2` shipment, `$3` order (TraceQuery.Scope). Their shared scopes
    /// are the functions `sql/build/06_trace_scopes.sql` builds.
    static func trace(_ files: ProjectFiles?) throws -> SQLStatements { try of("trace", files: files) }

    /// The text of `name` (`forward`, `audit/forward_lots`, ...).
    func text(_ name: String) throws -> String {
        let file = directory.appendingPathComponent(name + ".sql")
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PipelineError(.operational, "cannot read the query \(file.path): \(error.localizedDescription)")
        }
    }
}
