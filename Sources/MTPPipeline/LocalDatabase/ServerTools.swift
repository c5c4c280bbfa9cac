import Foundation

/// Where PostgreSQL's server programs are.
public struct ServerTools {
    /// `initdb`.
    public var initdb: String
    /// `pg_ctl`.
    public var pgctl: String

    /// The tools at these paths (``locate()`` finds the installed ones).
    public init(initdb: String, pgctl: String) {
        self.initdb = initdb
        self.pgctl = pgctl
    }

    /// The directory of the server programs (also `pg_basebackup`, `postgres`).
    public var bindir: String { URL(fileURLWithPath: initdb).deletingLastPathComponent().path }

    /// The server's library directory (`lib` beside `bin`, as Debian and PostgreSQL's own installs lay it out).
    public var libdir: String { URL(fileURLWithPath: bindir).deletingLastPathComponent().appendingPathComponent("lib").path }

    /// True when the server has the loadable module `name` (a contrib module such as `pg_prewarm`).
    public func hasLibrary(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: libdir + "/" + name + ".so")
    }

    /// Finds `initdb` and `pg_ctl` through `pg_config --bindir`, then `/usr/lib/postgresql/*/bin` (newest first).
    public static func locate() throws -> ServerTools {
        var candidates: [String] = []
        if let pgConfig = try? Subprocess.locate("pg_config"),
           let outcome = try? Subprocess.run(pgConfig, ["--bindir"]), outcome.succeeded {
            candidates.append(outcome.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        candidates += versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "/usr/lib/postgresql/\($0)/bin" }
        for directory in candidates {
            let initdb = directory + "/initdb", pgctl = directory + "/pg_ctl"
            if FileManager.default.isExecutableFile(atPath: initdb), FileManager.default.isExecutableFile(atPath: pgctl),
               FileManager.default.isExecutableFile(atPath: directory + "/postgres") {
                return ServerTools(initdb: initdb, pgctl: pgctl)
            }
        }
        throw PipelineError(.operational, """
            PostgreSQL server programs (initdb, pg_ctl, postgres) not found in `pg_config --bindir` or /usr/lib/postgresql/*/bin. \
            Install them: apt-get install -y postgresql
            """)
    }
}
