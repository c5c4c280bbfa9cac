import Foundation
import Postgres

/// Who may connect to a PostgreSQL cluster this project starts: only the account that runs the pipeline.
///
/// PostgreSQL's client authentication chapter, for a server on a machine with other users: never `trust`.
/// Over the Unix socket, `peer` authentication maps the owner (as root: root and the `postgres` server account)
/// to the superuser, and the socket and its directory are 0700, so no other account even reaches it. Over TCP on
/// the loopback, `scram-sha-256` with a password generated for the cluster, kept in a libpq password file of mode
/// 0600 (`passfile`), so the owner never types it and nobody else can read it. The password is set from a
/// verifier hashed on the client, never sent or printed in plain text.
public struct ClusterAccess: Sendable {
    /// The database superuser every owner connection uses.
    public var superuser: String
    /// The operating-system accounts that peer authentication lets in as the superuser.
    public var owners: [String]

    /// The name of the peer map in `pg_ident.conf`.
    static let mapName = "mtp_owner"
    /// The mode of the socket directory and of the socket.
    static let socketMode: Int16 = 0o700

    /// The access of a cluster this process starts: the current account, and the server's account when that
    /// is another one (as root, `postgres`).
    public static func forThisProcess(superuser: String, serverUser: String?) -> ClusterAccess {
        var owners = [currentUserName]
        if let serverUser, serverUser != currentUserName { owners.append(serverUser) }
        return ClusterAccess(superuser: superuser, owners: owners)
    }

    /// The login name of the effective user.
    static var currentUserName: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return String(geteuid()) }
        return String(cString: name)
    }

    /// `pg_hba.conf`: peer for the owners on the socket, scram-sha-256 for every other login; no `trust` line.
    var hostBasedAuthentication: String {
        """
        # Written by mtp-etl at every start: only the cluster's owner gets in (no trust line; see the client
        # authentication chapter of PostgreSQL's documentation). Edits here are replaced.
        # TYPE  DATABASE     USER  ADDRESS        METHOD
        local   all          \(superuser)         peer map=\(Self.mapName)
        local   replication  \(superuser)         peer map=\(Self.mapName)
        local   all          all                  scram-sha-256
        host    all          all   127.0.0.1/32   scram-sha-256
        host    all          all   ::1/128        scram-sha-256

        """
    }

    /// `pg_ident.conf`: each owner account may log in as the superuser.
    var identMap: String {
        "# Written by mtp-etl at every start: the accounts that may log in as \(superuser) over the socket.\n"
            + owners.map { "\(Self.mapName)  \($0)  \(superuser)\n" }.joined()
    }

    /// Writes `pg_hba.conf` and `pg_ident.conf` into `dataDirectory` (owned by `serverUser` when given).
    public func writeConfiguration(into dataDirectory: URL, serverUser: String?) throws {
        for (name, text) in [("pg_hba.conf", hostBasedAuthentication), ("pg_ident.conf", identMap)] {
            let file = dataDirectory.appendingPathComponent(name)
            try Self.writePrivately(text, to: file)
            if let serverUser { try Self.chown(serverUser, file) }
        }
    }

    /// A new password: 32 random bytes as hexadecimal (nothing a passfile or a URL would need to escape).
    static func generatePassword() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// Gives the superuser `password`, as a SCRAM verifier hashed on the client.
    func setPassword(_ password: String, on connection: Connection) throws {
        let verifier = try connection.scramVerifier(password: password, user: superuser)
        try connection.execute("alter role \(quoteIdentifier(superuser)) password \(quoteLiteral(verifier))")
    }

    /// Makes sure the superuser's password is the one in `passwordFile`, making the file first when it holds
    /// none. The file is created exclusively, so two starts at once agree on one password (the one whose file
    /// appeared first), and the role is always set from the file, so a start killed between the two leaves a
    /// file the next start sets again.
    public func ensurePassword(file passwordFile: URL, on connection: Connection) throws {
        if Self.readPassword(from: passwordFile) == nil {
            let unusable = FileManager.default.fileExists(atPath: passwordFile.path)
            try Self.writePrivately(passwordFileContents(Self.generatePassword()), to: passwordFile, replacing: unusable)
        }
        guard let password = Self.readPassword(from: passwordFile) else {
            throw PipelineError(.operational, "\(passwordFile.path) holds no password mtp-etl wrote: delete it and run mtp-etl db start again")
        }
        try setPassword(password, on: connection)
    }

    /// libpq's password file for the superuser over the loopback, on any port.
    func passwordFileContents(_ password: String) -> String {
        ["127.0.0.1", "localhost", "::1"].map { "\($0.replacingOccurrences(of: ":", with: "\\:")):*:*:\(superuser):\(password)\n" }.joined()
    }

    /// The password a password file written by ``ensurePassword(file:on:)`` holds; nil when there is none.
    public static func readPassword(from file: URL) -> String? {
        guard let text = try? String(contentsOf: file, encoding: .utf8),
              let line = text.split(separator: "\n").first,
              let password = line.split(separator: ":").last, password.count == 64,
              password.allSatisfy(\.isHexDigit) else { return nil }
        return String(password)
    }

    /// Writes `text` to `file` through a temporary file created with mode 0600 and renamed into place, so the
    /// text is never readable by others, not even for a moment, and a reader never sees half of it. Without
    /// `replacing`, a file that appeared meanwhile is kept (the temporary one is linked, not renamed).
    static func writePrivately(_ text: String, to file: URL, replacing: Bool = true) throws {
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(getpid()).\(UUID().uuidString.prefix(8)).tmp")
        unlink(temporary.path)
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw PipelineError(.operational, "cannot create \(temporary.path): \(String(cString: strerror(errno)))")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw PipelineError(.operational, "cannot write \(file.path): \(reason)")
        }
        if replacing {
            guard rename(temporary.path, file.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw PipelineError(.operational, "cannot write \(file.path): \(reason)")
            }
        } else {
            let linked = link(temporary.path, file.path) == 0 || errno == EEXIST
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            guard linked else { throw PipelineError(.operational, "cannot write \(file.path): \(reason)") }
        }
    }

    /// Gives `directory` to `user` (when given) with mode 0700: only its owner (and root) may enter it.
    static func makePrivate(_ directory: URL, owner user: String?) throws {
        if let user { try chown(user, directory) }
        guard chmod(directory.path, mode_t(socketMode)) == 0 else {
            throw PipelineError(.operational, "cannot restrict \(directory.path) to its owner: \(String(cString: strerror(errno)))")
        }
    }

    private static func chown(_ user: String, _ file: URL) throws {
        let outcome = try Subprocess.run(Subprocess.locate("chown"), ["\(user):", file.path])
        guard outcome.succeeded else { throw PipelineError(.operational, "chown to \(user) failed: \(outcome.output)") }
    }

    /// What `db status` says about access.
    var summary: String {
        "owner only: the Unix socket (mode 0700, in a 0700 directory) by peer authentication for \(owners.joined(separator: " and ")); "
            + "TCP on 127.0.0.1 by scram-sha-256 with the password in the owner's password file (mode 0600); no trust"
    }
}
