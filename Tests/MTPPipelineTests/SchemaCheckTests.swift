import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class SchemaCheckTests: XCTestCase {
    func testFixturesMeetTheContract() throws {
        let sources = try SourceDatabases("check")
        let report = try PipelineCheck(files: SourceDatabases.files).run(sources.configuration)
        XCTAssertEqual(report.problems, [])
    }

    func testMissingColumnChangedTypeAndPendingMigrationAreEachNamed() throws {
        let sources = try SourceDatabases("checkbad", migrate: false)
        let central = try sources.central.connect()
        try central.execute("""
            alter table tealine drop column garden;
            alter table blendsheet_batch alter column humidity type text;
            alter table tealine_record add column colour text;
            drop table flavorsheet_mix;
            """)
        let report = try PipelineCheck(files: SourceDatabases.files).run(sources.configuration)
        XCTAssertTrue(report.problems.contains("central: column tealine.garden is missing"), "\(report.problems)")
        XCTAssertTrue(report.problems.contains("central: column blendsheet_batch.humidity has type text, expected real"), "\(report.problems)")
        XCTAssertTrue(report.problems.contains("central: table flavorsheet_mix is missing"), "\(report.problems)")
        XCTAssertTrue(report.problems.contains { $0.contains("0001_pipeline_home.sql is pending") }, "\(report.problems)")
        XCTAssertEqual(report.notices, ["central: table tealine_record has columns the pipeline ignores: colour"])
    }
}
