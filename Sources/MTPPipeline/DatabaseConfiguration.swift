import Foundation
import Postgres

/// Where the Manager and Central databases are.
///
/// `--manager` and `--central` win over `MTP_MANAGER_URL` and `MTP_CENTRAL_URL`; with neither, the embedded
/// local cluster of the working directory. Each value is a libpq conninfo string or a `postgresql://` URI, so
/// libpq's environment variables and `.pgpass` keep working.
public struct DatabaseConfiguration: Sendable {
    /// Conninfo of the Manager database (the pipeline's home).
    public var manager: String
    /// Conninfo of the Central database (read-only to us).
    public var central: String

    /// Makes a configuration from two conninfo strings.
    public init(manager: String, central: String) {
        self.manager = manager
        self.central = central
    }

    /// Resolves the configuration from options, then the environment, then the embedded cluster.
    public static func resolve(
        manager: String?, central: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        local: LocalDatabase = .current
    ) throws -> DatabaseConfiguration {
        DatabaseConfiguration(
            manager: try resolve(.manager, option: manager, environment: environment, local: local),
            central: try resolve(.central, option: central, environment: environment, local: local))
    }

    /// Resolves one system's conninfo: the option, else `MTP_<SYSTEM>_URL`, else the embedded database.
    public static func resolve(
        _ system: SourceSystem, option: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        local: LocalDatabase = .current
    ) throws -> String {
        let variable = "MTP_\(system.rawValue.uppercased())_URL"
        if let option, !option.isEmpty { return try validated(option, origin: "--\(system.rawValue)") }
        if let value = environment[variable], !value.isEmpty { return try validated(value, origin: variable) }
        return try local.runningConninfo(database: system.rawValue)
    }

    private static func validated(_ conninfo: String, origin: String) throws -> String {
        if let character = ConnectionString.misreadUserInfoCharacter(conninfo) {
            let shown = character == " " ? "a space" : character == ":" ? "a second :" : "\(character)"
            throw PipelineError(.refused, """
                \(origin): the user or password of \(ConnectionString.maskingUserInfo(conninfo)) holds \(shown), which libpq would \
                misread (nothing was connected): percent-encode it (@ as %40, / as %2F, : as %3A, ? as %3F, # as %23, \
                space as %20, % as %25), or leave the password out of the URL and put it in ~/.pgpass or PGPASSFILE
                """)
        }
        guard ConnectionString.isValid(conninfo) else {
            throw PipelineError(.refused, "\(origin) is not a valid libpq connection string or postgresql:// URI")
        }
        return conninfo
    }

    /// Manager's host, port and database, without the password.
    public var managerDescription: String { ConnectionString.describe(manager) }
    /// Central's host, port and database, without the password.
    public var centralDescription: String { ConnectionString.describe(central) }
}
