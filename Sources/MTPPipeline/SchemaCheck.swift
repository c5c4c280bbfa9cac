import Postgres

/// Compares a database's tables with the ``SourceContract``.
public struct SchemaCheck: Sendable {
    /// One difference between what the pipeline needs and what the server has.
    public struct Finding: Sendable, CustomStringConvertible {
        /// Whether the difference stops the pipeline (missing or incompatible) or is only worth a notice (extra).
        public enum Severity: String, Sendable { case problem, notice }
        /// How serious it is.
        public var severity: Severity
        /// What it is, naming the system, table and column.
        public var message: String
        /// The message.
        public var description: String { message }
    }

    /// The system's name in messages (`manager`, `central`).
    public var system: String
    /// The tables to check.
    public var tables: [SourceContract.Table]

    /// A check of `tables` in `system`.
    public init(system: String, tables: [SourceContract.Table]) {
        self.system = system
        self.tables = tables
    }

    /// Every missing table or column and incompatible type (problems), and every extra column (notices).
    public func run(_ connection: Connection) throws -> [Finding] {
        let schemas = Array(Set(tables.map(\.schema))).sorted()
        let server = try DatabaseCatalog.read(connection, schemas: schemas).tables.mapValues { columns in
            columns.map { (column: $0.name, type: $0.dataType) }
        }
        var findings: [Finding] = []
        for table in tables {
            guard let columns = server["\(table.schema).\(table.name)"] else {
                findings.append(Finding(severity: .problem, message: "\(system): table \(table.qualifiedName) is missing"))
                continue
            }
            for wanted in table.columns {
                guard let found = columns.first(where: { $0.column == wanted.name }) else {
                    findings.append(Finding(severity: .problem, message: "\(system): column \(table.qualifiedName).\(wanted.name) is missing"))
                    continue
                }
                if !wanted.type.accepts(found.type) {
                    findings.append(Finding(severity: .problem, message:
                        "\(system): column \(table.qualifiedName).\(wanted.name) has type \(found.type), expected \(wanted.type.rawValue)"))
                }
            }
            let extra = columns.map(\.column).filter { name in !table.columns.contains { $0.name == name } }
            if !extra.isEmpty {
                findings.append(Finding(severity: .notice, message:
                    "\(system): table \(table.qualifiedName) has columns the pipeline ignores: \(extra.joined(separator: ", "))"))
            }
        }
        return findings
    }
}
