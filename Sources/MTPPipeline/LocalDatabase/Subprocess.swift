import Foundation

/// Runs a program to completion and captures its output (for the PostgreSQL server tools).
///
/// Uses `posix_spawn` and `waitpid` directly: output goes to a temporary file rather than a pipe, because
/// `pg_ctl start` leaves a daemon behind that must not keep our end of a pipe open; for the same reason the
/// program inherits no descriptor beyond the three standard ones (a caller's socket or pipe would otherwise
/// live on in the server and keep that caller waiting for its end).
public struct Subprocess {
    /// What a finished program left behind.
    public struct Outcome {
        /// Its exit status.
        public var status: Int32
        /// What it printed, standard output and error together.
        public var output: String
        /// Whether it exited 0.
        public var succeeded: Bool { status == 0 }
    }

    /// Runs `executable` with `arguments`, as `user` (through `runuser`) when given, with `input` on its
    /// standard input (nothing otherwise).
    public static func run(_ executable: String, _ arguments: [String], as user: String? = nil, input: Data? = nil) throws -> Outcome {
        let argv = user.map { ["runuser", "-u", $0, "--", executable] } ?? [executable]
        let program = user == nil ? executable : try locate("runuser")
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-etl-\(UUID().uuidString).out").path
        let inputPath = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-etl-\(UUID().uuidString).in").path
        defer { unlink(outputPath); unlink(inputPath) }
        if let input {
            guard FileManager.default.createFile(atPath: inputPath, contents: input, attributes: [.posixPermissions: 0o600]) else {
                throw PipelineError(.operational, "could not write the input of \(executable) to \(inputPath)")
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input == nil ? "/dev/null" : inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for descriptor in Self.inheritedDescriptors() {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }

        let cArguments = (argv + arguments).map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid = pid_t()
        // A signal this process ignores (SIGINT and SIGTERM while a command watches them) would stay ignored in
        // the child: it gets the default action back.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        let spawned = posix_spawn(&pid, program, &actions, &attributes, cArguments, environ)
        guard spawned == 0 else {
            throw PipelineError(.operational, "could not start \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw PipelineError(.operational, "waiting for \(program) failed: \(String(cString: strerror(errno)))") }
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        return Outcome(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: output)
    }

    /// This process's open descriptors beyond the standard three (from /proc/self/fd; glibc's `closefrom`
    /// action is not visible to Swift). One closed meanwhile is harmless: glibc ignores a close that fails.
    static func inheritedDescriptors() -> [Int32] {
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) }
        return (open ?? Array(3..<1024)).filter { $0 > 2 }
    }

    /// The full path of a program found on PATH or in the usual system directories.
    public static func locate(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        throw PipelineError(.operational, "\(name) not found on PATH")
    }
}
