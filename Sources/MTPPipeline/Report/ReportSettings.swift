/// The settings a report runs with: its date, time zone and periods, the data's time and snapshot, and for an
/// audit the question. Queries read each as `current_setting('mtp.<name>')`; layouts name them as `{name}` in
/// titles, headers and footers.
public struct ReportSettings: Sendable, Equatable {
    /// Setting name (without `mtp.`) to value.
    public private(set) var values: [String: String]

    /// Settings from `values`.
    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// The value of `name`, if set.
    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// `text` with every `{name}` replaced by its value (from `extra` first); a name that is neither set nor in
    /// `keeping` (left for a later stage to fill) is an error naming it, so a misspelt layout never prints
    /// braces.
    public func fill(_ text: String, extra: [String: String] = [:], keeping: Set<String> = []) throws -> String {
        guard text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                result += rest[open...]
                rest = ""
                break
            }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = extra[name] ?? values[name] {
                result += value
            } else if keeping.contains(name) {
                result += "{\(name)}"
            } else {
                let known = (Set(values.keys).union(extra.keys).union(keeping)).sorted().map { "{\($0)}" }.joined(separator: ", ")
                throw PipelineError(.operational, "{\(name)} in \"\(text)\" is not a report setting; known: \(known)")
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
