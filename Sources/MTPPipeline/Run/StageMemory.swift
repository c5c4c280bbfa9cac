import Foundation

/// The process's peak resident memory per stage: Linux's high-water mark (`VmHWM`), reset at each stage's start
/// through `/proc/self/clear_refs`. Nil where the system does not offer it.
enum StageMemory {
    /// Starts a new high-water mark.
    static func reset() {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
        try? handle.write(contentsOf: Data("5".utf8))
        try? handle.close()
    }

    /// The high-water mark since the last reset, in MiB.
    static func peakMiB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return (kilobytes / 1024 * 10).rounded() / 10
    }
}
