import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres

/// A fresh Manager and Central pair for one test, created from the project's fixtures.
public final class SourceDatabases {
    /// The Manager database.
    public let manager: TestDatabase
    /// The Central database.
    public let central: TestDatabase
    /// The project's files (fixtures, migrations, build, reports).
    public static let files = ProjectFiles(root: TestServer.projectRoot)

    /// A new pair named after `prefix`, from the fixtures, Manager migrated unless `migrate` is false.
    public init(_ prefix: String, migrate: Bool = true) throws {
        manager = try TestDatabase("\(prefix)_m")
        central = try TestDatabase("\(prefix)_c")
        let installer = FixtureInstaller(files: Self.files)
        try installer.install(.manager, into: try manager.connect())
        try installer.install(.central, into: try central.connect())
        if migrate { try Migrator(directory: Self.files.migrations).migrate(try manager.connect()) }
    }

    /// The pair as the pipeline's configuration.
    public var configuration: DatabaseConfiguration {
        DatabaseConfiguration(manager: manager.conninfo, central: central.conninfo)
    }

    /// `MTP_MANAGER_URL` and `MTP_CENTRAL_URL` naming the pair, as a scheduler sets them.
    public var environment: [String: String] {
        ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": central.conninfo]
    }

    /// Sources with the hand-built state loaded (nothing imported, pulled or built: a run does it) and a work
    /// directory whose `inbox` holds a copy of its planning files.
    public static func handBuiltSample(_ prefix: String) throws -> (SourceDatabases, TemporaryDirectory) {
        let sources = try SourceDatabases(prefix, migrate: false)
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: try sources.central.connect())
        try FixtureLoader().load(from: state, system: .manager, into: try sources.manager.connect())
        let work = try TemporaryDirectory()
        try FileManager.default.copyItem(at: SampleFacts.handBuilt.appendingPathComponent("order_plan_raw"),
                                         to: work.url.appendingPathComponent("inbox"))
        return (sources, work)
    }

    /// The state generator working on the test server (`generate state`, `generate demo`).
    public static func stateGenerator() -> StateGenerator {
        StateGenerator(files: files, adminConninfo: (try? TestServer.conninfo(database: "postgres")) ?? "",
                       conninfo: { try TestServer.conninfo(database: $0) })
    }
}
