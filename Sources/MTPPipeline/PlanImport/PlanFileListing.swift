import Foundation

/// What a list of planning paths holds: files ready to import, files of a folder still settling, entries of a
/// folder that are no planning file (never opened), and paths refused as they stand.
public struct PlanFileListing: Sendable {
    /// Regular files to import, in order.
    public var ready: [URL] = []
    /// A folder's files modified moments ago: left for the next run.
    public var notSettled: [PlanImportResult] = []
    /// A folder's entries with a planning file's name that are no regular file (a directory, FIFO, socket,
    /// device or symbolic link): listed as skipped with their kind, never opened, so a FIFO never blocks.
    public var skipped: [PlanImportResult] = []
    /// Paths named one by one that are no file or folder to read (missing, a FIFO...): refused, naming them.
    public var refused: [PlanImportResult] = []
    /// A folder's files modified in the future (a file share's clock ahead): imported once seen unchanged for the
    /// settle time (``PlanImporter/settleFutureFiles(_:connection:now:)``), until then not settled.
    var future: [(file: URL, state: FileState)] = []

    /// How far ahead of this machine's clock a modification time may be and still count as now.
    static let clockTolerance: Double = 5

    /// Everything that will not be imported, as results.
    public var unimported: [PlanImportResult] { notSettled + skipped + refused }

    /// The files of `paths`: a file named as it is (a link the user typed is followed), a folder as its planning
    /// files in name order (`lstat`: a link there is listed, not followed), those of a folder modified less than
    /// `settleSeconds` before `now` left for the next run.
    public static func of(_ paths: [String], extensions: Set<String>, settleSeconds: Double, now: Date) -> PlanFileListing {
        var listing = PlanFileListing()
        for path in paths {
            switch FileKind.of(path, followingLinks: true) {
            case .regular:
                listing.ready.append(URL(fileURLWithPath: path))
            case .directory:
                listing.list(folder: path, extensions: extensions, settleSeconds: settleSeconds, now: now)
            case .missing(let reason):
                listing.refused.append(PlanImportResult(file: path, status: .refused, message: "cannot be read: \(reason)"))
            case let kind:
                listing.refused.append(PlanImportResult(file: path, status: .refused, message: "\(kind.name), not a planning file or folder: not opened"))
            }
        }
        return listing
    }

    private mutating func list(folder path: String, extensions: Set<String>, settleSeconds: Double, now: Date) {
        guard let entries = Self.rawNames(path) else {
            refused.append(PlanImportResult(file: path, status: .refused, message: "the folder cannot be read: \(String(cString: strerror(errno)).lowercased())"))
            return
        }
        var names: [String] = []
        for bytes in entries {
            if let name = String(validating: bytes, as: UTF8.self) { names.append(name); continue }
            // A name no String can hold (not UTF-8): refused by its escaped name, since it cannot be opened by it.
            let escaped = Self.escaped(bytes)
            if extensions.contains((escaped as NSString).pathExtension.lowercased()) {
                refused.append(PlanImportResult(file: path + "/" + escaped, status: .refused,
                                                message: "its name is not UTF-8 (shown with \\x escapes): rename it and the next import takes it"))
            }
        }
        for name in names.sorted() where extensions.contains((name as NSString).pathExtension.lowercased()) {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name)
            switch FileKind.of(file.path, followingLinks: false) {
            case .regular:
                let state = try? FileState(file)
                let modified = state?.modified
                if settleSeconds > 0, let state, state.modified.timeIntervalSince(now) > Self.clockTolerance {
                    future.append((file, state))
                } else if settleSeconds > 0, let modified, now.timeIntervalSince(modified) < settleSeconds {
                    notSettled.append(.notSettled(file, age: max(0, now.timeIntervalSince(modified)), settle: settleSeconds))
                } else {
                    ready.append(file)
                }
            case .missing:
                continue   // gone since the folder was read: nothing to do
            case let kind:
                var result = PlanImportResult(file: file.path, status: .skipped,
                                              message: "\(kind.name), not a planning file: never opened (remove it or put the file in its place)")
                result.entryKind = kind.name
                skipped.append(result)
            }
        }
    }
}

extension PlanFileListing {
    /// The names in a folder as the file system has them, bytes and all (`readdir`; Foundation turns a name
    /// that is not UTF-8 into one that opens nothing); nil when the folder cannot be read.
    static func rawNames(_ path: String) -> [[UInt8]]? {
        guard let folder = opendir(path) else { return nil }
        defer { closedir(folder) }
        var names: [[UInt8]] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { bytes in Array(bytes.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    /// Bytes as a name to show: printable ASCII as it is, anything else as `\xE9`.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C ? String(UnicodeScalar($0)) : "\\x" + String(format: "%02X", $0) }.joined()
    }
}

/// What a path is on disk, by `stat` (or `lstat`, which does not follow a symbolic link).
enum FileKind: Equatable {
    case regular, directory, fifo, socket, device, symbolicLink, other
    /// Nothing there, or not reachable: the system's reason in plain words.
    case missing(String)

    /// The kind of `path`.
    static func of(_ path: String, followingLinks: Bool) -> FileKind {
        var status = stat()
        let found = followingLinks ? stat(path, &status) : lstat(path, &status)
        guard found == 0 else { return .missing(String(cString: strerror(errno)).lowercased()) }
        switch status.st_mode & 0o170000 {
        case 0o100000: return .regular
        case 0o040000: return .directory
        case 0o010000: return .fifo
        case 0o140000: return .socket
        case 0o020000, 0o060000: return .device
        case 0o120000: return .symbolicLink
        default: return .other
        }
    }

    /// How a person names it: `a FIFO`, `a symbolic link`.
    var name: String {
        switch self {
        case .regular: return "a file"
        case .directory: return "a directory"
        case .fifo: return "a FIFO"
        case .socket: return "a socket"
        case .device: return "a device"
        case .symbolicLink: return "a symbolic link"
        case .other: return "a special file"
        case .missing: return "nothing"
        }
    }

    /// Why a folder cannot be made at `directory`, in plain words: the first part of its path that exists is no
    /// folder, or may not be written; nil when nothing in the way is found.
    static func whyNoFolder(at directory: URL) -> String? {
        var ancestor = directory
        while ancestor.path != "/" {
            switch of(ancestor.path, followingLinks: true) {
            case .missing:
                ancestor.deleteLastPathComponent()
                continue
            case .directory:
                return access(ancestor.path, W_OK) == 0 ? nil : "\(ancestor.path) may not be written (permission denied)"
            case let kind:
                return "\(ancestor.path) is \(kind.name), not a folder"
            }
        }
        return nil
    }

    /// The system's reason for a failed file operation, in plain words (`no such file or directory`, `is a
    /// directory`, `permission denied`), not Foundation's domain and code.
    static func reason(_ error: any Error) -> String {
        let error = error as NSError
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code))).lowercased()
        }
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))).lowercased() }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileReadNoPermission: return "permission denied"
        case .fileReadTooLarge: return "too large to read"
        default: return error.localizedDescription
        }
    }
}
