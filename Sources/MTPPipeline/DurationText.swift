import Foundation

/// Durations as people write and read them: `90s`, `15min`, `2h`, `3d` in options; `12 s`, `3 min 20 s`,
/// `2 h 5 min`, `3 d 4 h` in messages.
public enum DurationText {
    /// `90`, `90s`, `15min` (or `15m`), `2h`, `3d`, `250ms` as seconds; nil when it is none of these or negative.
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("min", 60), ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400)]
        let (number, factor) = units.first { trimmed.hasSuffix($0.0) }
            .map { (String(trimmed.dropLast($0.0.count)).trimmingCharacters(in: .whitespaces), $0.1) } ?? (trimmed, 1)
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * factor
    }

    /// `12 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
    public static func format(_ seconds: Double) -> String {
        let whole = Int(max(0, seconds).rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min" + (whole % 60 == 0 ? "" : " \(whole % 60) s") }
        if whole < 86_400 { return "\(whole / 3600) h" + (whole % 3600 / 60 == 0 ? "" : " \(whole % 3600 / 60) min") }
        return "\(whole / 86_400) d" + (whole % 86_400 / 3600 == 0 ? "" : " \(whole % 86_400 / 3600) h")
    }
}
