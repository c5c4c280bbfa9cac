import Foundation
import MTPPipeline
import Postgres

/// A PostgreSQL cluster of a test's own, beside the test server: for what one server cannot show, a server with
/// TLS, or a primary and its hot-standby replica. Made with the server's own programs (as the `postgres` user
/// when the tests run as root), on a free port and a Unix socket in its directory; stopped and deleted when the
/// value goes away. Access is the embedded cluster's (``ClusterAccess``): peer on a 0700 socket, scram-sha-256
/// over TCP with a password in the cluster's own password file.
public final class TestCluster {
    /// Certificate files for a TLS server, made by `openssl` for the test.
    public struct TLS {
        /// The certificate authority that signed the server's certificate.
        public var authority: URL
        /// Another authority, which did not.
        public var otherAuthority: URL
        /// The server's certificate and key.
        public var certificate: URL, key: URL
    }

    /// The cluster's directory (`data/`, its socket, its log).
    public let directory: URL
    /// The TCP port on 127.0.0.1.
    public let port: Int
    /// The TLS files, for a TLS server.
    public let tls: TLS?
    /// The password file of TCP connections (a standby's is its primary's: the role is replicated).
    public let passwordFile: URL

    /// A new cluster: with TLS (`ssl = on`, a certificate for localhost signed by a test authority), or a
    /// hot-standby replica of `primary` (`pg_basebackup -R`, streaming, after a fast checkpoint); `settings` are extra postgresql.conf lines.
    public init(tls wantsTLS: Bool = false, standbyOf primary: TestCluster? = nil, settings: [String] = []) throws {
        directory = URL(fileURLWithPath: "/tmp/mtp-cluster-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        port = try LocalDatabase.freePort()
        let tools = try ServerTools.locate().bindir
        let data = directory.appendingPathComponent("data").path
        if let primary {
            try Self.giveToServerUser(directory)
            try Self.run(tools + "/pg_basebackup", ["-D", data, "-R", "-X", "stream", "--checkpoint=fast", "-h", primary.directory.path,
                                                    "-p", String(primary.port), "-U", "postgres"], asServer: true)
        } else {
            try Self.giveToServerUser(directory)
            try Self.run(tools + "/initdb", ["-D", data, "-U", "postgres", "--auth-local=peer", "--auth-host=scram-sha-256",
                                             "--encoding=UTF8", "--locale=C"], asServer: true)
        }
        let access = ClusterAccess.forThisProcess(superuser: "postgres", serverUser: LocalDatabase.serverUser)
        try access.writeConfiguration(into: URL(fileURLWithPath: data), serverUser: nil)
        let extra = settings
        var settings = "\nlisten_addresses = '127.0.0.1'\nport = \(port)\nunix_socket_directories = '\(directory.path)'\nunix_socket_permissions = 0700\nfsync = off\n"
        settings += extra.map { $0 + "\n" }.joined()
        if wantsTLS {
            let files = try Self.makeCertificates(in: directory)
            settings += "ssl = on\nssl_cert_file = '\(files.certificate.path)'\nssl_key_file = '\(files.key.path)'\n"
            tls = files
        } else {
            tls = nil
        }
        let config = directory.appendingPathComponent("data/postgresql.conf")
        let handle = try FileHandle(forWritingTo: config)
        handle.seekToEndOfFile()
        handle.write(Data(settings.utf8))
        try handle.close()
        try Self.giveToServerUser(directory)
        try Self.run(tools + "/pg_ctl", ["start", "-D", data, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "60"], asServer: true)
        if let primary {
            passwordFile = primary.passwordFile
        } else {
            passwordFile = directory.appendingPathComponent("pgpass")
            let socket = "host='\(directory.path)' port=\(port) dbname=postgres user=postgres"
            try Connection.withConnection(socket) { try access.ensurePassword(file: passwordFile, on: $0) }
        }
    }

    /// Over its Unix socket.
    public func conninfo(database: String) -> String {
        "host='\(directory.path)' port=\(port) dbname=\(database) user=postgres"
    }

    /// Over TCP to `localhost`, with `extra` conninfo settings (TLS ones).
    public func tcpConninfo(database: String, _ extra: String = "") -> String {
        "host=localhost port=\(port) dbname=\(database) user=postgres passfile='\(passwordFile.path)' connect_timeout=10 \(extra)"
    }

    /// The server's log.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    deinit {
        if let tools = try? ServerTools.locate().bindir {
            _ = try? Self.run(tools + "/pg_ctl", ["stop", "-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w"], asServer: true)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Helpers

    /// Runs a program (as the server's user when `asServer` and we are root) with no descriptor of ours
    /// inherited (`pg_ctl start` leaves a server behind); throws with its output when it fails.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], asServer: Bool = false) throws -> String {
        let outcome = try Subprocess.run(program, arguments, as: asServer ? LocalDatabase.serverUser : nil)
        guard outcome.succeeded else {
            throw PostgresError(code: .connection, message: "\(program) \(arguments.joined(separator: " ")) failed: \(outcome.output)")
        }
        return outcome.output
    }

    /// Gives `directory` and everything in it to the server's user (as root).
    public static func giveToServerUser(_ directory: URL) throws {
        guard let user = LocalDatabase.serverUser else { return }
        try run("/bin/chown", ["-R", "\(user):", directory.path])
    }

    /// A certificate authority, another one, and a server certificate for localhost and 127.0.0.1 signed by
    /// the first, made with `openssl`.
    public static func makeCertificates(in directory: URL) throws -> TLS {
        let openssl = "/usr/bin/openssl"
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        for authority in ["ca", "other-ca"] {
            try run(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=MTP test \(authority)",
                              "-keyout", path("\(authority).key"), "-out", path("\(authority).crt")])
        }
        try run(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", path("server.key"), "-out", path("server.csr")])
        try "subjectAltName = DNS:localhost, IP:127.0.0.1\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        try run(openssl, ["x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"), "-CAcreateserial",
                          "-days", "2", "-extfile", path("san.ext"), "-out", path("server.crt")])
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path("server.key"))
        return TLS(authority: URL(fileURLWithPath: path("ca.crt")), otherAuthority: URL(fileURLWithPath: path("other-ca.crt")),
                   certificate: URL(fileURLWithPath: path("server.crt")), key: URL(fileURLWithPath: path("server.key")))
    }
}
