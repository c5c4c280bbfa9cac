import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `trace ... --format dot`: the genealogy of an answer with the kilograms of the trace on its edges, on the
/// hand-built state of FactsBuildTests (every figure worked by hand there and here).
final class GenealogyTests: XCTestCase {
    var sources: SourceDatabases!

    override func setUpWithError() throws {
        sources = try FactsBuildTests.builtState("genealogy")
    }

    override func tearDown() {
        sources = nil
    }

    func dot(_ arguments: [String]) throws -> String {
        let run = try CommandLineRun.run(["trace"] + arguments + ["--format", "dot"], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    /// The edges of a DOT text: "from -> to: label".
    func edges(_ dot: String) -> [String] {
        dot.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.firstMatch(of: #/^  "([^"]+)" -> "([^"]+)" \[label="([^"]+)"\];$/#) else { return nil }
            return "\(match.1) -> \(match.2): \(match.3)"
        }
    }

    /// The node lines of a DOT text: "id: label".
    func nodes(_ dot: String) -> [String] {
        dot.split(separator: "\n").compactMap { line -> String? in
            guard let match = line.firstMatch(of: #/^  "([^"]+)" \[label="([^"]*)",/#) else { return nil }
            return "\(match.1): \(match.2)"
        }
    }

    func testForwardFromALotNodeByNodeAndEdgeByEdge() throws {
        let text = try dot(["lot", "TL-A"])
        // TL-A's bags: a1 50 kg into B-1, a2 30 kg into B-2, a3 50 kg to (42,1), a4 55 kg to (99,1).
        // TL-A is 0.625 of B-1 (50 of 80) and 0.708333 of B-2 (30 of 60, plus 20 of 60 from BB-1 x 0.625).
        // B-1 -> BB-1: 0.625 x BB-1's 20 kg = 12.50, all of it into B-2. B-1 -> (41,1): o1 40 x 0.625 = 25.00.
        // B-2 -> (41,1): o3 25 x 0.708333 = 17.71; B-2 -> (42,1): o3 20 x 0.708333 = 14.17.
        XCTAssertEqual(edges(text), [
            "lot:tealine:TL-A@1000 -> batch:B-1@3000: 50.00 kg",
            "lot:tealine:TL-A@1000 -> batch:B-2@4000: 30.00 kg",
            "lot:tealine:TL-A@1000 -> shipment:42/1: 50.00 kg",
            "lot:tealine:TL-A@1000 -> shipment:99/1: 55.00 kg",
            "balance:BB-1@3500 -> batch:B-2@4000: 12.50 kg",
            "batch:B-1@3000 -> balance:BB-1@3500: 12.50 kg",
            "batch:B-1@3000 -> shipment:41/1: 25.00 kg",
            "batch:B-2@4000 -> shipment:41/1: 17.71 kg",
            "batch:B-2@4000 -> shipment:42/1: 14.17 kg",
        ])
        XCTAssertEqual(nodes(text), [
            "lot:tealine:TL-A@1000: TL-A\\nPedro · BOP · INV-A\\n200.00 kg received",
            "balance:BB-1@3500: BB-1\\nblendbalance, leftover of B-1\\n20.00 kg",
            "batch:B-1@3000: B-1\\nBS-1\\nyield 95.00 % Excellent",
            "batch:B-2@4000: B-2\\nBS-2\\nyield 83.33 % Fair",
            "shipment:41/1: 41/1\\norder ORD-1\\nnot dispatched",
            "shipment:42/1: 42/1\\norder ORD-2\\ndispatched 2026-01-05 00:00",
            "shipment:99/1: 99/1\\nnot in Manager\\nnot dispatched",
        ])
        XCTAssertTrue(text.contains("\"shipment:41/1\" [label=\"41/1\\norder ORD-1\\nnot dispatched\", fillcolor=\"#FDC48F\""),
                      "a shipment not dispatched is orange: it can still be stopped")
        // Each shipment's incoming kilograms add up to its row of the forward trace (42.71, 64.17, 55.00).
        let csv = try CommandLineRun.run(["trace", "lot", "TL-A", "--format", "csv"], environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        for row in csv.stdout.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let incoming = edges(text).filter { $0.contains("-> shipment:\(fields[2])/\(fields[3]):") }
                .compactMap { Double($0.split(separator: " ").dropLast().last!.replacingOccurrences(of: ",", with: "")) }
            XCTAssertEqual(incoming.reduce(0, +), Double(fields[6])!, accuracy: 0.011, "shipment \(fields[2])/\(fields[3])")
        }
        XCTAssertEqual(try dot(["lot", "TL-A"]), text, "the same answer, the same bytes")
        try assertDotDraws(text)
    }

    func testBackwardFromAShipmentFlowsDownToItsLots() throws {
        let text = try dot(["shipment", "41/1"])
        // (41,1) = o1 40 kg from B-1 + o3 25 kg from B-2. B-2's 25 kg: TL-A 30/60 = 12.50, BB-0 10/60 = 4.17, and
        // BB-1 20/60 = 8.33 from B-1, whose own inputs give it on: TL-A 0.625, TL-B 0.375. Into B-1 therefore
        // TL-A 40 x 0.625 + 8.333 x 0.625 = 30.21 and TL-B 40 x 0.375 + 8.333 x 0.375 = 18.13.
        XCTAssertEqual(edges(text), [
            "lot:blendbalance:BB-0@900 -> batch:B-2@4000: 4.17 kg",
            "lot:tealine:TL-A@1000 -> batch:B-1@3000: 30.21 kg",
            "lot:tealine:TL-A@1000 -> batch:B-2@4000: 12.50 kg",
            "lot:tealine:TL-B@2000 -> batch:B-1@3000: 18.13 kg",
            "balance:BB-1@3500 -> batch:B-2@4000: 8.33 kg",
            "batch:B-1@3000 -> balance:BB-1@3500: 8.33 kg",
            "batch:B-1@3000 -> shipment:41/1: 40.00 kg",
            "batch:B-2@4000 -> shipment:41/1: 25.00 kg",
        ])
        XCTAssertTrue(nodes(text).contains("lot:blendbalance:BB-0@900: BB-0\\nopening blendbalance\\n10.00 kg received"))
        try assertDotDraws(text)
    }

    func testALargeAnswerIsDrawnPerOrderAndTheRestAsOneNode() throws {
        var query = GenealogyQuery()
        query.shipmentLimit = 2
        query.nodeLimit = 2
        let genealogy = try query.run(.lot(code: "TL-A", createdTS: nil), connection: try sources.manager.connect())
        // Three shipments become their three orders (ORD-1, ORD-2, and request 99, which Manager does not have);
        // two orders at most: the largest (ORD-2, 64.17 kg) stays, the other two become one node.
        XCTAssertEqual(genealogy.grouping, "3 shipments are drawn as their 3 orders; the 2 smallest of 3 orders are drawn as one")
        XCTAssertEqual(genealogy.nodes.filter { [.order, .rest].contains($0.kind) }.map(\.id), ["order:ORD-2", "rest:order"])
        XCTAssertEqual(genealogy.kgInto("order:ORD-2"), 64.1667, accuracy: 0.001)
        XCTAssertEqual(genealogy.kgInto("rest:order"), 42.7083 + 55, accuracy: 0.001)
        XCTAssertTrue(genealogy.dot().contains("(3 shipments are drawn as their 3 orders;"), "the picture says so")
        try assertDotDraws(genealogy.dot())
    }

    func testTextIsEscapedForDOT() {
        let genealogy = Genealogy(question: "a \"quoted\" question", nodes: [
            .init(id: "lot:tealine:TL-\"X\\@1", kind: .lot, title: "TL-\"X\\", details: ["line\nbreak"], sortKey: "1"),
        ], edges: [])
        let text = genealogy.dot()
        XCTAssertTrue(text.contains(#"label="a \"quoted\" question""#), text)
        XCTAssertTrue(text.contains(#""lot:tealine:TL-\"X\\@1" [label="TL-\"X\\\nline break""#), text)
    }

    /// Graphviz's dot reads the text without an error and draws a PNG.
    func assertDotDraws(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let png = try GraphvizRenderer().png(text)
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG", file: file, line: line)
    }
}
