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

    /// Every missing table, column, privilege and incompatible type (problems), and every extra column (notices).
    /// A privilege the session's role lacks is named with the grant that gives it.
    public func run(_ connection: Connection) throws -> [Finding] {
        let schemas = Array(Set(tables.map(\.schema))).sorted()
        let server = try DatabaseCatalog.read(connection, schemas: schemas).tables.mapValues { columns in
            columns.map { (column: $0.name, type: $0.dataType) }
        }
        // The catalog itself, not information_schema: a table the role may not read is still there.
        let role = try connection.query("select current_user::text").first!.decode(String.self, 0)
        let wanted = Array(Set(tables.flatMap(\.privileges))).sorted()
        var lacking: [String: Set<String>] = [:]
        for row in try connection.query("""
            select n.nspname || '.' || c.relname,
                   array_to_string(array(select p from unnest($2::text[]) p where not has_table_privilege(c.oid, p)), ',')
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname || '.' || c.relname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'f')
            """, [tables.map { "\($0.schema).\($0.name)" }, wanted]).rows {
            lacking[try row.decode(String.self, 0)] = Set(try row.decode(String.self, 1).split(separator: ",").map(String.init))
        }
        var findings: [Finding] = []
        for table in tables {
            let key = "\(table.schema).\(table.name)"
            if let lacks = lacking[key], case let missing = table.privileges.filter(lacks.contains), !missing.isEmpty {
                findings.append(Finding(severity: .problem, message: """
                    \(system): role \(role) lacks \(missing.joined(separator: ", ")) on table \(table.qualifiedName) \
                    (grant \(missing.joined(separator: ", ").lowercased()) on \(table.schema).\(table.name) to \(role))
                    """))
                if missing.contains("SELECT") { continue }
            }
            guard lacking[key] != nil, let columns = server[key] else {
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
