import Foundation

/// Metrics in Prometheus's text exposition format (version 0.0.4), for node_exporter's textfile collector.
///
/// Each family is written once with its `# HELP` and `# TYPE` lines and then its samples; label values are
/// escaped as the format requires (backslash, double quote, line feed). The file appears by rename, so the
/// collector never reads half of one.
public struct PrometheusText: Sendable {
    /// A metric family's type.
    public enum Kind: String, Sendable {
        /// A value that goes up and down.
        case gauge
        /// A value that only grows (its name ends in `_total`).
        case counter
    }

    private struct Family: Sendable {
        var name: String, kind: Kind, help: String
        var samples: [(labels: [(String, String)], value: Double)]
    }

    private var families: [Family] = []

    /// An empty exposition.
    public init() {}

    /// Adds a sample of family `name` (declared by its first sample's kind and help).
    public mutating func add(_ name: String, _ kind: Kind, _ help: String, labels: [(String, String)] = [], _ value: Double) {
        if let index = families.firstIndex(where: { $0.name == name }) {
            families[index].samples.append((labels, value))
        } else {
            families.append(Family(name: name, kind: kind, help: help, samples: [(labels, value)]))
        }
    }

    /// The exposition as text.
    public var text: String {
        var lines: [String] = []
        for family in families {
            lines.append("# HELP \(family.name) \(family.help.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n"))")
            lines.append("# TYPE \(family.name) \(family.kind.rawValue)")
            for sample in family.samples {
                let labels = sample.labels.isEmpty ? "" : "{" + sample.labels.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ",") + "}"
                lines.append("\(family.name)\(labels) \(Self.format(sample.value))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the text to `file` through a temporary file in the same directory, renamed into place.
    public func write(to file: URL) throws {
        let directory = file.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(getpid()).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
        } catch {
            throw PipelineError(.operational, "cannot write the metrics file \(file.path): \(error.localizedDescription)")
        }
        guard rename(temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw PipelineError(.operational, "cannot write the metrics file \(file.path): \(reason)")
        }
    }

    /// The value of one metric in a metrics file written earlier, when it holds that metric without labels.
    public static func previousValue(of name: String, in file: URL) -> Double? {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1))
        }
        return nil
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
