import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres

/// The hand-built state of the build tests (`Tests/Fixtures/hand-built`: every figure worked by hand in
/// FactsBuildTests) loaded into fresh sources, its plans imported, pulled and built.
public enum SampleFacts {
    /// The hand-built state's directory: `state/` (loadable with `fixture load`) and `order_plan_raw/`.
    public static let handBuilt = TestServer.projectRoot.appendingPathComponent("Tests/Fixtures/hand-built")

    /// Fresh sources with the hand-built state loaded, its plans imported, pulled and built.
    public static func make(_ prefix: String) throws -> SourceDatabases {
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
