import Foundation
import MTPPipeline
import TestSupport
import XCTest

/// The build's definitions as a full build runs them: a line marked `-- in scope` (a join to a scope table that
/// only filters) is left out when every key is in scope, and nothing else changes.
final class BuildDefinitionTests: XCTestCase {
    func testAFullBuildRunsTheDefinitionsWithoutTheirScopeFiltersOnly() throws {
        let definition = try BuildDefinition(files: SourceDatabases.files)
        let marked = definition.steps.flatMap { step in
            step.sql.split(separator: "\n").filter { $0.hasSuffix(BuildDefinition.Step.scopeFilterMark) }.map { (step.name, String($0)) }
        }
        XCTAssertGreaterThanOrEqual(marked.count, 15, "the staging's scope filters are marked")
        // Only a join of a scope table on its keys, nothing the statement reads: so every key passes it. (The
        // keys joined are a snapshot table's key, never null: the pull keys every table; a column that may be
        // null, like a batch's blendsheet, is not marked, since a null matches no scope.) A table of bags may
        // join the scope's bags of its own kind (scope_record_kind): every bag of it is of that kind.
        let filter = try NSRegularExpression(pattern: #"^\s*join scope_[a-z_]+ ([a-z]) (using \([a-z_, ]+\)|on \1\.[a-z_]+ = [a-z]\.[a-z_]+( and \1\.[a-z_]+ = [a-z]\.[a-z_]+)*( and \1\.record_kind = '[a-z]+')?);?\s+-- in scope$"#)
        for (name, line) in marked {
            XCTAssertNotNil(filter.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), "\(name): \(line)")
        }
        for step in definition.steps {
            let full = step.text(everyKey: true), scoped = step.text(everyKey: false)
            XCTAssertEqual(scoped, step.sql, "a scope's build runs the file as it is")
            let kept = full.split(separator: "\n", omittingEmptySubsequences: false)
            let lines = step.sql.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertEqual(kept.count, lines.count, "\(step.name): line for line")
            for (line, fullLine) in zip(lines, kept) {
                if line.hasSuffix(BuildDefinition.Step.scopeFilterMark) {
                    let ends = line.replacingOccurrences(of: BuildDefinition.Step.scopeFilterMark, with: "").trimmingCharacters(in: .whitespaces).hasSuffix(";")
                    XCTAssertEqual(fullLine, ends ? ";" : "", "\(step.name): the filter goes, its statement's end stays")
                } else {
                    XCTAssertEqual(fullLine, line)
                }
            }
        }
    }
}
