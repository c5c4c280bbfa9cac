import Hashing
import Foundation
import Postgres

/// The embedded PostgreSQL cluster under `.mtp/pg/`, the default wherever no database URL is given.
///
/// It listens on a Unix socket in `.mtp/run/` and on 127.0.0.1 at a free port and lets in only the account
/// that runs the pipeline (``ClusterAccess``: peer on a 0700 socket, scram-sha-256 over TCP with the password in
/// `.mtp/pgpass`, mode 0600), and holds two databases: `manager` and `central`. As root the server runs as the
/// `postgres` system user (initdb and postgres refuse root); otherwise as the current user.
public struct LocalDatabase: Sendable {
    /// The `.mtp` directory.
    public let root: URL
    /// The databases the cluster holds.
    public static let databases = ["manager", "central"]
    /// The superuser every local connection uses.
    public static let superuser = "postgres"

    /// A cluster rooted at `root` (normally `<working directory>/.mtp`).
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The cluster of the current working directory.
    public static var current: LocalDatabase {
        LocalDatabase(root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".mtp"))
    }

    /// Where the cluster (`pg/`) and its socket (`run/`) live: `.mtp` itself, or, when the server's user cannot
    /// reach `.mtp` (root's checkout in a private directory), a directory of its own that `.mtp/pg` and
    /// `.mtp/run` point to.
    public var placement: URL {
        let link = root.appendingPathComponent("pg").path
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
            return URL(fileURLWithPath: target).deletingLastPathComponent().standardizedFileURL
        }
        return root
    }

    /// Whether the cluster lives outside the checkout.
    public var isPlacedOutside: Bool { placement != root }

    /// The directory an outside placement of `.mtp` at `root` takes: one per checkout, under /var/lib/mtp-etl.
    static func outsidePlacement(for root: URL) -> URL {
        URL(fileURLWithPath: "/var/lib/mtp-etl/clusters").appendingPathComponent(Array(SHA256.hash(data: Data(root.path.utf8))).prefix(6).hexString)
    }

    var clusterDirectory: URL { placement.appendingPathComponent("pg") }
    var dataDirectory: URL { clusterDirectory.appendingPathComponent("data") }
    var socketDirectory: URL { placement.appendingPathComponent("run") }
    var logFile: URL { clusterDirectory.appendingPathComponent("server.log") }
    var portFile: URL { clusterDirectory.appendingPathComponent("port") }
    /// libpq's password file for TCP connections (mode 0600, the owner's): in the checkout's `.mtp`, wherever the
    /// cluster lives.
    public var passwordFile: URL { root.appendingPathComponent("pgpass") }
    /// Who may connect.
    var access: ClusterAccess { .forThisProcess(superuser: Self.superuser, serverUser: Self.serverUser) }

    /// Whether the server runs, and where.
    public struct Status: Sendable {
        /// True while the server accepts connections.
        public var running: Bool
        /// The TCP port (on 127.0.0.1), once the cluster exists.
        public var port: Int?
        /// The server's log file.
        public var logFile: String
        /// Where the cluster lives.
        public var directory: String
        /// Why it lives outside the checkout, when it does.
        public var placedOutsideBecause: String?
        /// Who may connect, and how.
        public var access: String
    }

    /// The current state of the cluster.
    public func status() throws -> Status {
        let port = storedPort()
        var running = false
        if FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            let outcome = try pgctl(["status", "-D", dataDirectory.path])
            running = outcome.succeeded
        }
        return Status(running: running, port: port, logFile: logFile.path, directory: clusterDirectory.path,
                      placedOutsideBecause: isPlacedOutside ? "the \(Self.serverUser ?? "server's") user cannot enter \(root.path)" : nil,
                      access: access.summary)
    }

    /// Creates the cluster if needed, starts it if it is not running, waits until it accepts connections and
    /// makes sure both databases exist. Safe to call when it already runs. Every start also brings the cluster's
    /// access to the owner-only rules (a cluster an earlier version made with `trust` included), running or not.
    /// Starts made at the same moment (two commands, a test and `make run`) take turns: one creates or starts the
    /// cluster, the others then find it running.
    @discardableResult
    public func start() throws -> Status {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return try withStartLock { try startAlone() }
    }

    /// Runs `body` holding an exclusive lock on `.mtp/start.lock` (released on every path, also when killed).
    private func withStartLock<T>(_ body: () throws -> T) throws -> T {
        let path = root.appendingPathComponent("start.lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PipelineError(.operational, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw PipelineError(.operational, "cannot lock \(path): \(String(cString: strerror(errno)))") }
        }
        return try body()
    }

    private func startAlone() throws -> Status {
        let tools = try ServerTools.locate()
        let serverUser = Self.serverUser
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        if let serverUser, !isPlacedOutside, !FileManager.default.fileExists(atPath: dataDirectory.path), !(try Self.canEnter(root, as: serverUser)) {
            try placeOutside(for: serverUser)
        }
        try FileManager.default.createDirectory(at: clusterDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: socketDirectory, withIntermediateDirectories: true)
        if let serverUser {
            // Only the two directories: initdb, running as that user, creates everything inside them as its own,
            // and a recursive chown would race with a running server's files.
            try chown(serverUser, [clusterDirectory.path])
        }
        // The socket's directory: its owner's alone (root passes anyway), so no other account reaches the socket.
        try ClusterAccess.makePrivate(socketDirectory, owner: serverUser)
        if !FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) {
            try? FileManager.default.removeItem(at: dataDirectory)
            let outcome = try Subprocess.run(tools.initdb, [
                "-D", dataDirectory.path, "-U", Self.superuser, "--auth-local=peer", "--auth-host=scram-sha-256",
                "--encoding=UTF8", "--locale=C",
            ], as: serverUser)
            guard outcome.succeeded else {
                throw PipelineError(.operational, "initdb failed for \(dataDirectory.path):\n\(outcome.output)\n\(accessHint)")
            }
            let config = dataDirectory.appendingPathComponent("postgresql.conf")
            let handle = try FileHandle(forWritingTo: config)
            handle.seekToEndOfFile()
            handle.write(Data("\n# mtp-etl: settings of the embedded cluster\ninclude_if_exists 'mtp.conf'\n".utf8))
            try handle.close()
        }
        try access.writeConfiguration(into: dataDirectory, serverUser: serverUser)
        if try status().running, let port = storedPort() {
            // Running already (perhaps under an earlier version's trust rules): the new rules take effect on reload,
            // the socket's own mode on the next restart (its directory's at once).
            try writeSettings(port: port, serverUser: serverUser, tools: tools)
            try Postgres.Connection.withConnection(socketConninfo(database: "postgres")) { connection in
                try access.ensurePassword(file: passwordFile, on: connection)
                try connection.execute("select pg_reload_conf()")
            }
            return try status()
        }

        let port = try storedPort().flatMap { Self.isFree($0) ? $0 : nil } ?? Self.freePort()
        try writeSettings(port: port, serverUser: serverUser, tools: tools)
        try String(port).write(to: portFile, atomically: true, encoding: .utf8)
        let outcome = try pgctl(["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60"])
        guard outcome.succeeded else {
            let log = (try? String(contentsOf: logFile, encoding: .utf8))?.split(separator: "\n").suffix(15).joined(separator: "\n") ?? ""
            throw PipelineError(.operational, "the embedded PostgreSQL did not start:\n\(outcome.output)\n\(log)\n\(accessHint)")
        }
        try createDatabases()
        return try status()
    }

    /// The server's user cannot enter `.mtp` (a directory above it is private, as root's home and `mktemp -d`
    /// are): the cluster goes to a directory of its own under /var/lib/mtp-etl, owned by that user, and
    /// `.mtp/pg` and `.mtp/run` point to it.
    private func placeOutside(for user: String) throws {
        let outside = Self.outsidePlacement(for: root)
        for name in ["pg", "run"] {
            let directory = outside.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: root.appendingPathComponent(name))
            try FileManager.default.createSymbolicLink(at: root.appendingPathComponent(name), withDestinationURL: directory)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: outside.path)
        try chown(user, [outside.path])
        try ClusterAccess.makePrivate(outside.appendingPathComponent("run"), owner: user)
    }

    /// Whether `user` can reach `directory` (search permission on it and on every directory above it).
    static func canEnter(_ directory: URL, as user: String) throws -> Bool {
        try Subprocess.run(Subprocess.locate("test"), ["-x", directory.path], as: user).succeeded
    }

    /// Stops the server and deletes the cluster with its data, wherever it lives (`make clean`).
    public func remove() throws {
        if FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) { try stop() }
        let outside = isPlacedOutside ? placement : nil
        for name in ["pg", "run", "pgpass", "start.lock"] { try? FileManager.default.removeItem(at: root.appendingPathComponent(name)) }
        if let outside { try FileManager.default.removeItem(at: outside) }
    }

    /// Shuts the server down cleanly (fast mode: open sessions are rolled back). Does nothing when it is stopped.
    public func stop() throws {
        guard try status().running else { return }
        let outcome = try pgctl(["stop", "-D", dataDirectory.path, "-m", "fast", "-w", "-t", "60"])
        guard outcome.succeeded else {
            throw PipelineError(.operational, "the embedded PostgreSQL did not stop:\n\(outcome.output)")
        }
    }

    /// A libpq conninfo for `database` over the Unix socket (used by default: faster than TCP; peer authentication,
    /// no password).
    public func socketConninfo(database: String) throws -> String {
        guard let port = storedPort() else { throw notStarted }
        return "host='\(socketDirectory.path)' port=\(port) dbname=\(database) user=\(Self.superuser)"
    }

    /// A `postgresql://` URL for `database` over TCP on 127.0.0.1 that names the password file (`passfile`), so
    /// psql and libpq log in with the cluster's password without it appearing in the URL.
    public func tcpURL(database: String) throws -> String {
        guard let port = storedPort() else { throw notStarted }
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")
        let passfile = passwordFile.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? passwordFile.path
        return "postgresql://\(Self.superuser)@127.0.0.1:\(port)/\(database)?passfile=\(passfile)"
    }

    /// The conninfo of `database` when the server runs; a clear error saying how to start it otherwise.
    public func runningConninfo(database: String) throws -> String {
        guard try status().running else { throw notStarted }
        return try socketConninfo(database: database)
    }

    private var notStarted: PipelineError {
        PipelineError(.operational, "the embedded database in \(root.path) is not running: start it with `mtp-etl db start` (or `make run`), or give --manager/--central or MTP_MANAGER_URL/MTP_CENTRAL_URL")
    }

    private var accessHint: String {
        Self.serverUser.map { "The server runs as the '\($0)' system user, in \(clusterDirectory.path)." } ?? ""
    }

    private func createDatabases() throws {
        try Postgres.Connection.withConnection(socketConninfo(database: "postgres")) { connection in
            try access.ensurePassword(file: passwordFile, on: connection)
            for name in Self.databases {
                let exists = try connection.query("select 1 from pg_database where datname = $1", [name]).count > 0
                if !exists { try connection.execute("create database \(quoteIdentifier(name))") }
            }
        }
    }

    private func writeSettings(port: Int, serverUser: String?, tools: ServerTools) throws {
        let settings = """
            # Written by mtp-etl at every start; for your own settings use ALTER SYSTEM (postgresql.auto.conf, read after this).
            listen_addresses = '127.0.0.1'
            port = \(port)
            unix_socket_directories = '\(socketDirectory.path.replacingOccurrences(of: "'", with: "''"))'
            unix_socket_permissions = 0700
            synchronous_commit = off
            \(ServerMemory.settings(tools: tools))
            work_mem = '64MB'
            maintenance_work_mem = '512MB'
            max_wal_size = '4GB'
            checkpoint_timeout = '15min'
            max_parallel_workers_per_gather = 2

            """
        let file = dataDirectory.appendingPathComponent("mtp.conf")
        try settings.write(to: file, atomically: true, encoding: .utf8)
        if let serverUser { try chown(serverUser, [file.path]) }
    }

    private func pgctl(_ arguments: [String]) throws -> Subprocess.Outcome {
        try Subprocess.run(ServerTools.locate().pgctl, arguments, as: Self.serverUser)
    }

    private func storedPort() -> Int? {
        (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    private func chown(_ user: String, _ paths: [String]) throws {
        let outcome = try Subprocess.run(Subprocess.locate("chown"), ["\(user):"] + paths)
        guard outcome.succeeded else { throw PipelineError(.operational, "chown to \(user) failed: \(outcome.output)") }
    }

    /// The system user the server runs as: `postgres` when we are root, nil (ourselves) otherwise.
    public static var serverUser: String? { geteuid() == 0 ? "postgres" : nil }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    public static func freePort() throws -> Int {
        for _ in 0..<20 {
            let candidate = Int.random(in: 20_000...60_000)
            if isFree(candidate) { return candidate }
        }
        throw PipelineError(.operational, "no free TCP port found on 127.0.0.1")
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
