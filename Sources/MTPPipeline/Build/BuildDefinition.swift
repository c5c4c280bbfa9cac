import Foundation
import Hashing

/// The build's definitions: the SQL files of `sql/build` in the order they run, what each is for, and the
/// checksum that says whether facts were built by these very definitions.
///
/// A file's first line says when it runs: `-- build: every` (the facts' definitions, computing the keys in scope:
/// every build), `-- build: full` (functions, views, grants and statistics that live with the facts, written when
/// the schema is new). `sql/build/scope` holds how the keys are chosen (every key, or what a change reaches).
public struct BuildDefinition: Sendable {
    /// One SQL file of the build.
    public struct Step: Sendable {
        /// The file.
        public var file: URL
        /// True when it runs in every build, false when only in a full one.
        public var everyBuild: Bool
        /// Its text.
        public var sql: String
        /// Its name under `sql/build`.
        public var name: String { file.lastPathComponent }

        /// Its text for a build of every key (`everyKey`) or of a scope. A line whose comment is `-- in scope`
        /// joins a scope table as a filter and nothing else: a build of every key runs the statement without it
        /// (keeping a `;` that ends the line), since every key passes, so that a full build joins no million
        /// keys to the million rows they name. Any other use of a scope (nodes, levels) stays in both.
        public func text(everyKey: Bool) -> String {
            guard everyKey else { return sql }
            return sql.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
                guard line.hasSuffix(Self.scopeFilterMark), let comment = line.range(of: "--", options: .backwards) else { return line }
                return line[..<comment.lowerBound].trimmingCharacters(in: .whitespaces).hasSuffix(";") ? ";" : ""
            }.joined(separator: "\n")
        }

        /// The comment marking a scope filter's line.
        public static let scopeFilterMark = "-- in scope"

        /// The step cut into its parts, as a full build runs them (``text(everyKey:)`` with every key): a line
        /// `-- part: NAME` starts a part, which runs to the next one; what comes before the first (the file's
        /// header and its planner settings) starts every part of the file, since each part runs in a transaction
        /// of its own. A file without such a line is one part, named after the file.
        public func parts() -> [BuildPart] {
            BuildDefinition.parts(of: text(everyKey: true), file: name)
        }

        /// The comment starting a part of a step.
        public static let partMark = "-- part:"
    }

    /// `text` (of `file` under `sql/build`) cut into its parts (``Step/parts()``).
    public static func parts(of text: String, file: String) -> [BuildPart] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var preamble: [Substring] = [], bodies: [(name: String, lines: [Substring])] = []
        for line in lines {
            if line.hasPrefix(Step.partMark) {
                bodies.append((line.dropFirst(Step.partMark.count).trimmingCharacters(in: .whitespaces), [line]))
            } else if bodies.isEmpty {
                preamble.append(line)
            } else {
                bodies[bodies.count - 1].lines.append(line)
            }
        }
        guard !bodies.isEmpty else {
            return [BuildPart(file: file, name: String(file.split(separator: "/").last!.dropLast(4)), sql: preamble.joined(separator: "\n"))]
        }
        return bodies.map { BuildPart(file: file, name: $0.name, sql: (preamble + $0.lines).joined(separator: "\n")) }
    }

    /// What a full build runs on its lanes, in order: the parts of every key's scope (each of its tables a union
    /// over a table of the history), then those of every step marked `-- build: every`.
    public var fullBuildParts: [BuildPart] {
        Self.parts(of: everyKey, file: "scope/every_key.sql") + steps.filter(\.everyBuild).flatMap { $0.parts() }
    }

    /// The steps in the order they run.
    public var steps: [Step]
    /// `sql/build/scope/every_key.sql`: every key, for a full build.
    public var everyKey: String
    /// `sql/build/scope/changes.sql`: the keys a change reaches, for an incremental one.
    public var changes: String
    /// SHA-256 over every file of `sql/build`, the migrations' versions and the source contract: facts with
    /// another checksum are rebuilt in full.
    public var checksum: String

    /// Reads the definitions from `files`; a step without its `-- build:` line is refused.
    public init(files: ProjectFiles) throws {
        let directory = files.root.appendingPathComponent("sql/build")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        var digest = SHA256()
        steps = try names.map { name in
            let file = directory.appendingPathComponent(name)
            let sql = try String(contentsOf: file, encoding: .utf8)
            let first = sql.prefix { $0 != "\n" }
            guard first == "-- build: every" || first == "-- build: full" else {
                throw PipelineError(.operational, "sql/build/\(name) does not start with `-- build: every` or `-- build: full`")
            }
            return Step(file: file, everyBuild: first == "-- build: every", sql: sql)
        }
        let scope = directory.appendingPathComponent("scope")
        everyKey = try String(contentsOf: scope.appendingPathComponent("every_key.sql"), encoding: .utf8)
        changes = try String(contentsOf: scope.appendingPathComponent("changes.sql"), encoding: .utf8)
        for (name, text) in steps.map({ ($0.name, $0.sql) }) + [("scope/every_key.sql", everyKey), ("scope/changes.sql", changes)] {
            digest.update(data: Array("\(name)\n\(text)\n".utf8))
        }
        let migrations = try FileManager.default.contentsOfDirectory(atPath: files.migrations.path).filter { $0.hasSuffix(".sql") }.sorted()
        digest.update(data: Array(migrations.joined(separator: "\n").utf8))
        for table in SourceContract.central + SourceContract.manager {
            digest.update(data: Array("\(table.qualifiedName)(\(table.columns.map { "\($0.name) \($0.type.rawValue)" }.joined(separator: ", ")))\n".utf8))
        }
        checksum = digest.finalize().hexString
    }
}
