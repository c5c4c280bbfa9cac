import Foundation
import Postgres

/// The roles of docs/OPERATIONS.md, created on the test server by that section's own SQL blocks, so the document
/// an administrator follows is the one the tests prove. Role names get a suffix of their own (roles belong to the
/// whole server); the report reader keeps its name, the one the build grants to.
public struct DocumentedRoles {
    /// The report reader's role name, as the build (`sql/build/08_grants.sql`) knows it.
    public static let reportReader = "mtp_report_reader"

    /// What makes this test's role names its own.
    public let suffix = String(UUID().uuidString.prefix(8).lowercased())
    /// The Central reader's name.
    public var centralReader: String { "mtp_central_reader_\(suffix)" }
    /// The pipeline role's name.
    public var pipeline: String { "mtp_pipeline_\(suffix)" }
    /// The Central reader's password.
    public let centralPassword = UUID().uuidString
    /// The pipeline role's password.
    public let pipelinePassword = UUID().uuidString
    /// The report login's password.
    public let readerPassword = UUID().uuidString
    /// Whether this test made the report reader (and so drops it); one an administrator made is left alone.
    public private(set) var madeReportReader = false
    /// The login that reads reports: the report reader itself, or a member of an existing one.
    public private(set) var readerLogin = reportReader

    /// Role names and passwords of a test of its own.
    public init() {}

    /// The SQL blocks of the "Roles" section, in order: Central reader, pipeline, report reader.
    public static func sqlBlocks() throws -> [String] {
        let text = try String(contentsOf: TestServer.projectRoot.appendingPathComponent("docs/OPERATIONS.md"), encoding: .utf8)
        guard let start = text.range(of: "## Roles: least privilege") else { throw DocumentError.missing("the Roles section") }
        let section = String(text[start.upperBound...]).components(separatedBy: "\n## ").first ?? ""
        let blocks = section.components(separatedBy: "```sql\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
        guard blocks.count == 3 else { throw DocumentError.missing("three SQL blocks in the Roles section (found \(blocks.count))") }
        return blocks
    }

    /// The Central tables the documented reader is granted.
    public static func centralTables() throws -> [String] {
        let block = try sqlBlocks()[0]
        guard let grant = block.range(of: "grant select on"), let to = block.range(of: "to mtp_central_reader;", range: grant.upperBound..<block.endIndex) else {
            throw DocumentError.missing("the Central reader's grant select")
        }
        return block[grant.upperBound..<to.lowerBound].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Creates the three roles with their grants on the two test databases, each with a password of its own.
    public mutating func create(manager: String, central: String) throws {
        let blocks = try Self.sqlBlocks()
        let admin = try TestServer.admin()
        madeReportReader = try admin.query("select count(*) from pg_roles where rolname = $1", [Self.reportReader]).first!.decode(Int.self, 0) == 0
        try Connection.withConnection(TestServer.conninfo(database: central)) { connection in
            try connection.execute(blocks[0].replacingOccurrences(of: "mtp_central_reader", with: centralReader)
                .replacingOccurrences(of: "database tea_management", with: "database \(central)"))
        }
        try Connection.withConnection(TestServer.conninfo(database: manager)) { connection in
            try connection.execute(blocks[1].replacingOccurrences(of: "mtp_pipeline", with: pipeline)
                .replacingOccurrences(of: "database tea_management", with: "database \(manager)"))
            var reader = blocks[2].replacingOccurrences(of: "database tea_management", with: "database \(manager)")
            if !madeReportReader {
                readerLogin = "mtp_report_login_\(suffix)"
                reader = reader.replacingOccurrences(of: "create role \(Self.reportReader) login;",
                                                     with: "create role \(readerLogin) login in role \(Self.reportReader);")
            }
            try connection.execute(reader)
        }
        for (role, password) in [(centralReader, centralPassword), (pipeline, pipelinePassword), (readerLogin, readerPassword)] {
            try admin.execute("alter role \(role) password '\(password)'")
        }
    }

    /// Drops the roles this test made (their databases are gone first).
    public func drop() throws {
        let admin = try TestServer.admin()
        for role in [centralReader, pipeline] + (madeReportReader ? [Self.reportReader] : [readerLogin]) {
            try admin.execute("drop role if exists \(role)")
        }
    }

    /// What the document lacks.
    public enum DocumentError: Error, CustomStringConvertible {
        /// A part of docs/OPERATIONS.md that is not there.
        case missing(String)
        /// Says which.
        public var description: String {
            switch self { case .missing(let what): "docs/OPERATIONS.md lacks \(what)" }
        }
    }
}
