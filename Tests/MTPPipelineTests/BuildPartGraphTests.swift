import Foundation
import MTPPipeline
import TestSupport
import XCTest

/// The order a full build's parts keep (issue 20), read from their SQL: a part waits for the earlier parts that
/// name an object it names where one of the two writes it; readers, and parts that only append, do not wait for
/// each other.
final class BuildPartGraphTests: XCTestCase {
    func part(_ name: String, _ sql: String) -> BuildPart { BuildPart(file: "t.sql", name: name, sql: sql) }

    func waits(_ graph: BuildPartGraph, _ name: String) -> Set<String> {
        let index = graph.parts.firstIndex { $0.name == name }!
        return Set(graph.dependencies[index].map { graph.parts[$0].name })
    }

    func testReadersAndAppendersRunSideBySideAndWritersKeepTheirOrder() {
        let graph = BuildPartGraph(parts: [
            part("a", "create table if not exists a (x int);\ninsert into a select 1;"),
            part("f", "create table if not exists f (x int);"),
            part("b", "-- reads nothing of f here, this comment names it\ncreate table if not exists b as select x from a;"),
            part("c", "create table if not exists c as select x from a;\nselect ensure_index($$create index c_x on a (x)$$);"),
            part("f1", "insert into f select x from a;"),
            part("f2", "insert into f select x from b;"),
            part("g", "create table g as select count(*) from f;"),
            part("h", "update a set x = 2;"),
            part("s", "insert into b select 'a' || x from c;"),
            part("t", "create temp table a2 on commit drop as select 1;\ncreate temp table if not exists f2x (y int);"),
        ])
        XCTAssertEqual(waits(graph, "a"), [])
        XCTAssertEqual(waits(graph, "f"), [], "`create table if not exists` names no table `if`")
        XCTAssertEqual(waits(graph, "b"), ["a"], "a comment names nothing")
        XCTAssertEqual(waits(graph, "c"), ["a"], "an index built on a reads its table: it does not wait for b, which reads a too")
        XCTAssertEqual(waits(graph, "f1"), ["a", "f"])
        XCTAssertEqual(waits(graph, "f2"), ["b", "f"], "two parts that only append to f run side by side")
        XCTAssertEqual(waits(graph, "g"), ["f", "f1", "f2"], "a reader of f waits for every part that appends to it")
        XCTAssertEqual(waits(graph, "h"), ["a", "b", "c", "f1"], "a writer waits for every earlier reader")
        XCTAssertEqual(waits(graph, "s"), ["a", "b", "c", "f2", "h"], "appending to b after b's readers and writers; a string names a")
        XCTAssertEqual(waits(graph, "t"), [], "temporary tables are the part's own")
    }

    func testTheCriticalPathComesFirst() {
        let graph = BuildPartGraph(parts: [
            part("long", "create table long (x int);"),
            part("short", "create table short (x int);"),
            part("after", "create table after as select * from long;"),
        ])
        let seconds = ["t.sql/long": 1.0, "t.sql/short": 3.0, "t.sql/after": 4.0]
        XCTAssertEqual(graph.priorities(seconds: seconds), [5, 3, 4], "a part counts with everything that waits for it")
        XCTAssertEqual(graph.priorities(seconds: [:]), [2, 1, 1], "without times every part counts 1")
        XCTAssertEqual(graph.priorities(seconds: ["t.sql/long": 2, "t.sql/after": 4]), [6, 3, 4], "an unknown part counts as the known ones' mean")
    }

    /// The definitions themselves: every part names only what an earlier part makes (or what is there before
    /// the first: the snapshot, the scope, what the build read of Manager), and neither the genealogy nor the
    /// shipments' attribution waits for the record.
    func testTheDefinitionsPartsWaitForWhatTheyRead() throws {
        let definition = try BuildDefinition(files: SourceDatabases.files)
        let parts = definition.fullBuildParts
        XCTAssertEqual(Set(parts.map(\.key)).count, parts.count, "part names are unique")
        XCTAssertGreaterThanOrEqual(parts.count, 40)
        let graph = BuildPartGraph(parts: parts)
        XCTAssertTrue(waits(graph, "record").isSuperset(of: ["00_functions", "scope_record_held", "scope_record_allocation"]),
                      "the bags the facts hold, and every bag's allocations: \(waits(graph, "record"))")
        XCTAssertFalse(waits(graph, "edge_record_batch").contains("record"), "\(waits(graph, "edge_record_batch"))")
        XCTAssertTrue(waits(graph, "edge_record_batch").contains("scope_batch"))
        XCTAssertTrue(waits(graph, "shipment_attribution").isSuperset(of: ["edge_record_shipment", "batch_composition"]))
        XCTAssertFalse(waits(graph, "shipment_attribution").contains("record"), "a shipped bag's lot is on its edge")
        XCTAssertTrue(waits(graph, "batch_composition").isSuperset(of: ["batch_input", "batch_link", "batch_level"]),
                      "the levels update the links (in_loop): the composition waits for them")
        XCTAssertEqual(waits(graph, "record_lot"), ["00_functions", "record"])
        let checks = ["quantity_mismatch", "orphan_allocation", "orphan_parcel_schedule", "request_without_plan", "bag_weight_and_place",
                      "blocked_batch_shipped", "dispatched_without_event", "event_without_dispatched_bags",
                      "yield_above_100", "genealogy_cycle"]
        for check in checks {
            XCTAssertTrue(waits(graph, check).contains("finding"), check)
            XCTAssertTrue(waits(graph, check).isDisjoint(with: checks), "\(check) waits for no other check")
        }
        XCTAssertTrue(waits(graph, "finding_check").isSuperset(of: Set(checks)), "the index of every check's findings comes after them all")
        // A table a part reads is made by an earlier part it waits for, or is there before the first part.
        let made = Dictionary(graph.parts.enumerated().flatMap { index, part in
            part.sql.matches(of: /create (?:unlogged )?table if not exists (\w+)|create unlogged table (\w+)/).map { (String($0.1 ?? $0.2 ?? ""), index) }
        }, uniquingKeysWith: min)
        for (index, part) in graph.parts.enumerated() {
            let code = part.sql.split(separator: "\n").map { $0.split(separator: "--", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }.joined(separator: "\n")
            for match in code.matches(of: /(?:from|join) (\w+)( |\n|;)/) {
                let table = String(match.1)
                guard let maker = made[table], maker != index else { continue }
                XCTAssertTrue(graph.dependencies[index].contains(maker) || maker < index && Self.waitsThrough(graph, index, maker),
                              "\(part.description) reads \(table), made by \(graph.parts[maker].description), without waiting for it")
            }
        }
    }

    static func waitsThrough(_ graph: BuildPartGraph, _ part: Int, _ earlier: Int) -> Bool {
        var seen = Set<Int>(), stack = graph.dependencies[part]
        while let next = stack.popLast() {
            if next == earlier { return true }
            if seen.insert(next).inserted { stack.append(contentsOf: graph.dependencies[next]) }
        }
        return false
    }
}
