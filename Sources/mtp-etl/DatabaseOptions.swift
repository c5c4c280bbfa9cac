import ArgumentParser
import MTPPipeline

/// `--manager` and `--central`: where the two systems are (else `MTP_MANAGER_URL`, `MTP_CENTRAL_URL`, else the embedded database).
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Manager database: libpq conninfo or postgresql:// URI (default: $MTP_MANAGER_URL, else the embedded database).", valueName: "url"))
    var manager: String?

    @Option(name: .long, help: ArgumentHelp("Central database: libpq conninfo or postgresql:// URI (default: $MTP_CENTRAL_URL, else the embedded database).", valueName: "url"))
    var central: String?

    /// The resolved configuration.
    func resolve() throws -> DatabaseConfiguration {
        try DatabaseConfiguration.resolve(manager: manager, central: central)
    }
}
