import Foundation
import MTPPipeline

/// Renders a trace answer as an aligned table, RFC 4180 CSV with a header row, or JSON with the same field names.
enum TraceOutput {
    static func render(_ table: TraceTable, as format: String) -> String {
        switch format {
        case "csv":
            return ([table.columns] + table.rows.map { $0.map { $0 ?? "" } }).map { $0.map(csvField).joined(separator: ",") }
                .joined(separator: "\r\n") + "\r\n"
        case "json":
            let objects = table.rows.map { row in
                "  {" + zip(table.columns, row).map { column, value in
                    "\"\(column)\": " + jsonValue(value, numeric: table.numericColumns.contains(column))
                }.joined(separator: ", ") + "}"
            }
            return "[\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "" : "\n") + "]\n"
        default:
            let cells = [table.columns] + table.rows.map { $0.map { $0 ?? "" } }
            let widths = table.columns.indices.map { column in min(table.columns.count == 1 ? 500 : 48, cells.map { $0[column].count }.max() ?? 0) }
            return cells.map { row in
                zip(row, widths).map { value, width in
                    value.count > width ? String(value.prefix(width - 1)) + "…" : value.padding(toLength: width, withPad: " ", startingAt: 0)
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
            }.joined(separator: "\n") + "\n" + (table.rows.isEmpty ? "(nothing)\n" : "")
        }
    }

    static func csvField(_ value: String) -> String {
        value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    static func jsonValue(_ value: String?, numeric: Bool) -> String {
        guard let value else { return "null" }
        if numeric, Double(value) != nil { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
