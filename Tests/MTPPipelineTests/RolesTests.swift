import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The three roles of docs/OPERATIONS.md ("Roles: least privilege"), created by that section's own SQL, and the
/// whole scheduled run made with them: a Central login that may only read, a Manager role that is no superuser,
/// and a report reader that sees the facts and nothing else.
final class RolesTests: XCTestCase {
    private var sources: SourceDatabases!
    private var roles = DocumentedRoles()

    override func setUpWithError() throws {
        sources = try SourceDatabases("roles", migrate: false)
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: try sources.central.connect())
        try FixtureLoader().load(from: state, system: .manager, into: try sources.manager.connect())
        try roles.create(manager: sources.manager.name, central: sources.central.name)
    }

    override func tearDownWithError() throws {
        sources.manager.drop()
        sources.central.drop()
        try roles.drop()
    }

    func testTheDocumentedCentralGrantsAreTheTablesThePullReads() throws {
        XCTAssertEqual(Set(try DocumentedRoles.centralTables()), Set(SourceContract.central.map(\.name)),
                       "docs/OPERATIONS.md grants the Central reader exactly the tables of the schema contract")
    }

    func testTheWholeRunWithLeastPrivilegeRoles() throws {
        let work = try TemporaryDirectory()
        let run = try CommandLineRun.run([
            "run", "--inbox", SampleFacts.handBuilt.appendingPathComponent("order_plan_raw").path, "--settle", "0",
            "--out", work.url.path, "--date", "2026-03-31", "--json",
        ], environment: environment())
        XCTAssertEqual(run.status, 0, "the run needs no superuser: \(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(summary?["outcome"] as? String, "succeeded")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("mtp-report-2026-03-31.xlsx").path))
        XCTAssertFalse(run.stdout.contains(roles.pipelinePassword) || run.stderr.contains(roles.pipelinePassword)
                       || run.stdout.contains(roles.centralPassword) || run.stderr.contains(roles.centralPassword),
                       "no password in what the run prints")

        let admin = try sources.manager.connect()
        let owners = try admin.query("""
            select nspname::text, nspowner::regrole::text from pg_namespace where nspname in ('mtp', 'snapshot', 'facts') order by 1
            """).rows.map { "\(try $0.decode(String.self, 0)):\(try $0.decode(String.self, 1))" }
        XCTAssertEqual(owners, ["facts", "mtp", "snapshot"].map { "\($0):\(roles.pipeline)" }, "the pipeline's role owns its three schemas")
        let attributes = try XCTUnwrap(admin.query("select rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = $1",
                                                   [roles.pipeline]).first)
        XCTAssertEqual([try attributes.decode(Bool.self, 0), try attributes.decode(Bool.self, 1), try attributes.decode(Bool.self, 2)],
                       [false, false, false])
        let facts = try admin.query("select count(*) from facts.shipment_attribution").first!.decode(Int.self, 0)
        XCTAssertGreaterThan(facts, 0)

        // The report reader reads every fact and report view, and nothing of the pipeline's own or of Manager's.
        let reader = try Connection.connect(TestServer.conninfo(database: sources.manager.name, user: roles.readerLogin,
                                                                password: roles.readerPassword))
        XCTAssertEqual(try reader.query("select count(*) from facts.shipment_attribution").first!.decode(Int.self, 0), facts)
        XCTAssertEqual(try reader.query("select count(*) from facts.report_day").first!.decode(Int.self, 0), 28,
                       "without settings a report view is of the 28 days up to today")
        try reader.execute("set mtp.report_date = '2026-03-31'")
        XCTAssertGreaterThan(try reader.query("select count(*) from facts.report_order").first!.decode(Int.self, 0), 0)
        for forbidden in ["mtp.run", "snapshot.pull", "public.order_plan"] {
            XCTAssertThrowsError(try reader.query("select count(*) from \(forbidden)"), forbidden) { error in
                XCTAssertEqual((error as? PostgresError)?.sqlState, "42501", "\(forbidden): \(error)")
            }
        }

        // The Central login cannot write, even where a grant would let it: every session is read-only.
        let central = try Connection.connect(TestServer.conninfo(database: sources.central.name, user: roles.centralReader,
                                                                 password: roles.centralPassword))
        XCTAssertThrowsError(try central.execute("create temporary table written_by_the_reader (n int)")) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "25006", "read-only transaction: \(error)")
        }

        // A second run (the scheduled job of the next day) replaces facts and snapshot as the same role.
        try FileManager.default.createDirectory(at: work.url.appendingPathComponent("empty-inbox"), withIntermediateDirectories: true)
        let again = try CommandLineRun.run(["run", "--inbox", work.url.appendingPathComponent("empty-inbox").path, "--settle", "0",
                                            "--out", work.url.path, "--date", "2026-03-31", "--json"], environment: environment())
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try reader.query("select count(*) from facts.shipment_attribution").first!.decode(Int.self, 0), facts,
                       "the report reader keeps its grant on the rebuilt facts")
    }

    func testCheckNamesTheGrantThatIsMissing() throws {
        let migrate = try CommandLineRun.run(["migrate"], environment: environment())
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        let passed = try CommandLineRun.run(["check"], environment: environment())
        XCTAssertEqual(passed.status, 0, "with the documented grants the check passes: \(passed.stdout) \(passed.stderr)")

        try sources.manager.connect().execute("revoke select on public.order_shipment from \(roles.pipeline)")
        try sources.central.connect().execute("revoke select on public.blendsheet_mix_tealine from \(roles.centralReader)")
        let check = try CommandLineRun.run(["check"], environment: environment())
        XCTAssertEqual(check.status, 3, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains(
            "manager: role \(roles.pipeline) lacks SELECT on table order_shipment (grant select on public.order_shipment to \(roles.pipeline))"),
            check.stdout)
        XCTAssertTrue(check.stdout.contains(
            "central: role \(roles.centralReader) lacks SELECT on table blendsheet_mix_tealine (grant select on public.blendsheet_mix_tealine to \(roles.centralReader))"),
            check.stdout)
        XCTAssertFalse(check.stdout.contains("is missing"), "a table the role may not read is not reported missing: \(check.stdout)")

        let run = try CommandLineRun.run(["run", "--inbox", SampleFacts.handBuilt.appendingPathComponent("order_plan_raw").path,
                                          "--settle", "0", "--out", try TemporaryDirectory().url.path, "--json"], environment: environment())
        XCTAssertEqual(run.status, 3, "the run's check stage stops it before anything is done")
        XCTAssertTrue(run.stderr.contains("lacks SELECT on table order_shipment"), run.stderr)
        XCTAssertEqual(try sources.manager.connect().query("select count(*) from public.order_plan_raw").first!.decode(Int.self, 0), 0,
                       "no planning file was imported")
    }

    private func environment() throws -> [String: String] {
        ["MTP_MANAGER_URL": try TestServer.conninfo(database: sources.manager.name, user: roles.pipeline, password: roles.pipelinePassword),
         "MTP_CENTRAL_URL": try TestServer.conninfo(database: sources.central.name, user: roles.centralReader, password: roles.centralPassword)]
    }
}
