import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport

/// A fresh Manager and Central pair for one test, created from the project's fixtures.
final class SourceDatabases {
    let manager: TestDatabase
    let central: TestDatabase
    static let files = ProjectFiles(root: TestServer.projectRoot)

    init(_ prefix: String, migrate: Bool = true) throws {
        manager = try TestDatabase("\(prefix)_m")
        central = try TestDatabase("\(prefix)_c")
        let installer = FixtureInstaller(files: Self.files)
        try installer.install(.manager, into: try manager.connect())
        try installer.install(.central, into: try central.connect())
        if migrate { try Migrator(directory: Self.files.migrations).migrate(try manager.connect()) }
    }

    var configuration: DatabaseConfiguration {
        DatabaseConfiguration(manager: manager.conninfo, central: central.conninfo)
    }

    /// `MTP_MANAGER_URL` and `MTP_CENTRAL_URL` naming the pair, as a scheduler sets them.
    var environment: [String: String] {
        ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": central.conninfo]
    }

    /// Sources with the hand-built state loaded (nothing imported, pulled or built: a run does it) and a work
    /// directory whose `inbox` holds a copy of its planning files.
    static func handBuiltSample(_ prefix: String) throws -> (SourceDatabases, TemporaryDirectory) {
        let sources = try SourceDatabases(prefix, migrate: false)
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: try sources.central.connect())
        try FixtureLoader().load(from: state, system: .manager, into: try sources.manager.connect())
        let work = try TemporaryDirectory()
        try FileManager.default.copyItem(at: SampleFacts.handBuilt.appendingPathComponent("order_plan_raw"),
                                         to: work.url.appendingPathComponent("inbox"))
        return (sources, work)
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Checks the build tests make on any state.
enum FactsChecks {
    /// Shipments whose attributed plus untraced kilograms differ from what is allocated to them by more than 0.01 kg.
    static func unbalancedShipments(_ manager: Connection) throws -> Int {
        try manager.query("""
            with allocated as (select request_code, shipment_code, sum(kg) as kg from facts.edge_record_shipment group by 1, 2),
                 attributed as (select request_code, shipment_code, sum(kg) as kg from facts.shipment_attribution group by 1, 2)
            select count(*) from allocated a left join attributed t using (request_code, shipment_code)
             where abs(a.kg - coalesce(t.kg, 0)) > 0.01
            """).first!.decode(Int.self, 0)
    }
}

/// The hand-built state of the build tests (`Tests/Fixtures/hand-built`: every figure worked by hand in
/// FactsBuildTests) loaded into fresh sources, its plans imported, pulled and built.
enum SampleFacts {
    /// The hand-built state's directory: `state/` (loadable with `fixture load`) and `order_plan_raw/`.
    static let handBuilt = TestServer.projectRoot.appendingPathComponent("Tests/Fixtures/hand-built")

    static func make(_ prefix: String) throws -> SourceDatabases {
        let sources = try SourceDatabases(prefix)
        try FixtureLoader().load(from: handBuilt.appendingPathComponent("state"), system: .central, into: try sources.central.connect())
        let manager = try sources.manager.connect()
        try FixtureLoader().load(from: handBuilt.appendingPathComponent("state"), system: .manager, into: manager)
        let inbox = handBuilt.appendingPathComponent("order_plan_raw")
        let files = try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".csv") }.sorted()
        _ = try PlanImporter(options: PlanImportOptions()).importFiles(files.map { inbox.appendingPathComponent($0) }, connection: manager)
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        _ = try pull.run()
        try FactsBuild(files: SourceDatabases.files).run(manager)
        return sources
    }
}
