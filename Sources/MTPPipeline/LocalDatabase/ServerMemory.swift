import Foundation

/// The memory the embedded server keeps the facts and the snapshot in: its shared buffers, sized from the
/// machine's memory, and whether it reloads them after a restart.
///
/// A day's incremental build probes the indexes of the whole history with the day's bags, whose barcodes are
/// random (UUIDs): it touches pages all over every index, more of them the longer the history, and each page not
/// in shared buffers is a read from the kernel's cache. With 256 MB a day at 2 million bags read about 10,000
/// pages in each statement probing by barcode and took 1.6x the day at 1 million (docs/BENCHMARKS.md, session
/// 10). ALTER SYSTEM overrides the setting (postgresql.auto.conf is read after `mtp.conf`).
public enum ServerMemory {
    /// A quarter of `memory` (PostgreSQL's documented starting point for a dedicated server), at least
    /// 256 MB (what the server had before) and at most 8 GB, in megabytes.
    public static func sharedBuffersMegabytes(memory: UInt64 = availableMemory()) -> Int {
        let quarter = Int(min(memory / 4 / (1 << 20), UInt64(Int.max)))
        return min(max(quarter, minimumMegabytes), maximumMegabytes)
    }

    /// The memory this process may use: the machine's, or less where its control group or one above it sets a
    /// limit (a systemd unit's `MemoryMax=`, a container's), which the server started from it shares.
    public static func availableMemory(cgroupFiles: [String] = cgroupLimitFiles()) -> UInt64 {
        let limits = cgroupFiles.compactMap { file in
            (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        return ([ProcessInfo.processInfo.physicalMemory] + limits).min()!
    }

    /// The files that may hold a memory limit of this process's control groups (`membership`: the text of
    /// `/proc/self/cgroup`), from its own group up to the hierarchy's root: `memory.max` (cgroup v2) and
    /// `memory.limit_in_bytes` (v1). Files that do not exist, or say `max`, set no limit.
    public static func cgroupLimitFiles(membership: String? = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
                                        root: String = "/sys/fs/cgroup") -> [String] {
        var files: [String] = []
        for line in (membership ?? "").split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let (directory, file): (String, String)
            if fields[0] == "0" && fields[1].isEmpty {
                (directory, file) = (root, "memory.max")
            } else if fields[1].split(separator: ",").contains("memory") {
                (directory, file) = (root + "/memory", "memory.limit_in_bytes")
            } else {
                continue
            }
            var path = fields[2].split(separator: "/").map(String.init)
            while true {
                files.append(([directory] + path + [file]).joined(separator: "/"))
                if path.isEmpty { break }
                path.removeLast()
            }
        }
        return files
    }

    /// 256 MB.
    public static let minimumMegabytes = 256
    /// 8 GB.
    public static let maximumMegabytes = 8 << 10

    /// The setting lines for `mtp.conf`: the buffers and, where the server has `pg_prewarm`, its autoprewarm
    /// worker, which writes down every few minutes which pages the buffers hold and reads them back after a
    /// restart (a reboot would otherwise leave the next morning's build reading the history's pages one by one).
    public static func settings(tools: ServerTools, memory: UInt64 = availableMemory()) -> String {
        var lines = ["shared_buffers = '\(sharedBuffersMegabytes(memory: memory))MB'"]
        if tools.hasLibrary("pg_prewarm") { lines.append("shared_preload_libraries = 'pg_prewarm'") }
        return lines.joined(separator: "\n")
    }
}
