import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class MigratorTests: XCTestCase {
    func testRunningTwiceChangesNothing() throws {
        let sources = try SourceDatabases("mig", migrate: false)
        let connection = try sources.manager.connect()
        let migrator = Migrator(directory: SourceDatabases.files.migrations)
        let first = try migrator.migrate(connection)
        XCTAssertEqual(first.map(\.version), try migrator.load().map(\.version))
        let snapshot = try connection.query("select version, checksum, applied_at::text from mtp.schema_migrations order by version")
            .rows.map { try [$0.decode(String.self, 0), $0.decode(String.self, 1), $0.decode(String.self, 2)] }
        XCTAssertTrue(try migrator.migrate(connection).isEmpty)
        let again = try connection.query("select version, checksum, applied_at::text from mtp.schema_migrations order by version")
            .rows.map { try [$0.decode(String.self, 0), $0.decode(String.self, 1), $0.decode(String.self, 2)] }
        XCTAssertEqual(again, snapshot)
        XCTAssertTrue(try migrator.status(connection).allSatisfy { $0.kind == .applied })
    }

    func testAStageOnAManagerNotMigratedSaysWhatToRun() throws {
        let sources = try SourceDatabases("migbehind", migrate: false)
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo, "MTP_CENTRAL_URL": sources.central.conninfo]
        let plan = SampleFacts.handBuilt.appendingPathComponent("order_plan_raw/2026-03-01-plan.csv").path
        for arguments in [["pull-central"], ["build"], ["import-plans", plan]] {
            let stage = try CommandLineRun.run(arguments, environment: environment)
            XCTAssertEqual(stage.status, 3, "\(arguments[0]): \(stage.stderr)")
            XCTAssertTrue(stage.stderr.contains("Manager's pipeline schema is not current")
                          && stage.stderr.contains("the first 0001_pipeline_home.sql (pending); run `mtp-etl migrate`"),
                          "\(arguments[0]): \(stage.stderr)")
        }
        XCTAssertEqual(try sources.manager.connect().query("select count(*) from pg_namespace where nspname in ('mtp', 'snapshot', 'facts')")
            .first!.decode(Int.self, 0), 0, "nothing was created")
    }

    func testChangedAppliedFileIsRefusedByName() throws {
        let sources = try SourceDatabases("migchg", migrate: false)
        let connection = try sources.manager.connect()
        let directory = try TemporaryDirectory()
        try directory.write("0001_first.sql", "create table mtp.first (id int);")
        try directory.write("0002_second.sql", "create table mtp.second (id int);")
        let migrator = Migrator(directory: directory.url)
        try connection.execute("create schema mtp")
        XCTAssertEqual(try migrator.migrate(connection).count, 2)

        try directory.write("0001_first.sql", "create table mtp.first (id int, extra text);")
        try directory.write("0003_third.sql", "create table mtp.third (id int);")
        XCTAssertEqual(try migrator.status(connection).map(\.kind), [.changed, .applied, .pending])
        XCTAssertThrowsError(try migrator.migrate(connection)) { error in
            XCTAssertTrue("\(error)".contains("0001_first.sql"), "\(error)")
        }
        XCTAssertNil(try connection.query("select to_regclass('mtp.third')::text").first?.decode(String?.self, 0), "nothing applied")
    }

    func testFailedMigrationAppliesNothingOfItself() throws {
        let sources = try SourceDatabases("migfail", migrate: false)
        let connection = try sources.manager.connect()
        let directory = try TemporaryDirectory()
        try directory.write("0001_broken.sql", "create table mtp_half (id int); select 1/0;")
        XCTAssertThrowsError(try Migrator(directory: directory.url).migrate(connection)) { error in
            XCTAssertTrue("\(error)".contains("0001_broken.sql"))
        }
        XCTAssertNil(try connection.query("select to_regclass('mtp_half')::text").first?.decode(String?.self, 0))
        XCTAssertEqual(try connection.query("select count(*) from mtp.schema_migrations").first?.decode(Int.self, 0), 0)
    }

    func testExistingOrderPlanIsKept() throws {
        let sources = try SourceDatabases("migkeep", migrate: false)
        let connection = try sources.manager.connect()
        try connection.query("insert into order_plan values ($1, $2, $3, $4, $5)", ["ORD-1", "Earl Grey", 100, "2026-01-01", "2026-02-01"])
        try Migrator(directory: SourceDatabases.files.migrations).migrate(connection)
        XCTAssertEqual(try connection.query("select count(*) from order_plan").first?.decode(Int.self, 0), 1)
        XCTAssertNotNil(try connection.query("select to_regclass('public.order_plan_raw')::text").first?.decode(String?.self, 0))
    }
}
