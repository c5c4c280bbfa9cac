import Foundation
import MTPPipeline

/// Renders a trace answer as an aligned table, RFC 4180 CSV with a header row, or JSON with the same field names.
enum TraceOutput {
    static func render(_ table: TraceTable, as format: String) -> String {
        switch format {
        case "csv":
            let rows = table.rows.map { row in
                zip(table.columns, row).map { column, value in
                    table.numericColumns.contains(column) ? value ?? "" : spreadsheetSafe(value ?? "")
                }
            }
            return ([table.columns] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        case "json":
            let objects = table.rows.map { row in
                "    {" + zip(table.columns, row).map { column, value in
                    "\"\(column)\": " + jsonValue(value, numeric: table.numericColumns.contains(column))
                }.joined(separator: ", ") + "}"
            }
            var fields = ["  \"question\": \(jsonValue(table.question, numeric: false))",
                          "  \"rows\": [\n" + objects.joined(separator: ",\n") + (objects.isEmpty ? "" : "\n") + "  ]"]
            switch table.balance {
            case .lot(let balance)?:
                fields.append("  \"mass_balance\": " + massBalance(balance))
            case .shipments(let composition)?:
                fields.append("  \"lots\": [" + composition.lots.map { lot in
                    "{\"root_kind\": \(jsonValue(lot.kind, numeric: false)), \"item_code\": \(jsonValue(lot.code, numeric: false)), \"kg\": \(kg(lot.kg)), \"share_pct\": \(kg(lot.share * 100))}"
                }.joined(separator: ", ") + "]")
                if let small = composition.small {
                    fields.append("  \"small\": {\"lots\": \(small.lots), \"kg\": \(kg(small.kg)), \"share_pct\": \(kg(small.share * 100))}")
                }
                fields.append("  \"untraced\": {\"kg\": \(kg(composition.untracedKg)), \"reason\": \(composition.untracedReason.map { jsonValue($0, numeric: false) } ?? "null")}")
            case nil:
                break
            }
            return "{\n" + fields.joined(separator: ",\n") + "\n}\n"
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

    /// A lot's mass balance: every part in kg, and the share of received the parts account for.
    static func massBalance(_ balance: MassBalance) -> String {
        let parts: [(String, Double)] = [("received_kg", balance.receivedKg), ("shipped_kg", balance.shippedKg),
                                         ("in_store_kg", balance.inStoreKg), ("in_blend_stock_kg", balance.inBlendStockKg),
                                         ("in_blendbalance_stock_kg", balance.inBalanceStockKg), ("process_loss_kg", balance.processLossKg),
                                         ("unaccounted_kg", balance.unaccountedKg), ("allocation_gap_kg", balance.allocationGapKg),
                                         ("accounted_for_pct", balance.accountedFor * 100)]
        return "{" + parts.map { "\"\($0.0)\": \(kg($0.1))" }.joined(separator: ", ") + "}"
    }

    /// A number to the gram (two decimals), as JSON.
    static func kg(_ value: Double) -> String {
        String(format: "%.2f", (value * 100).rounded() / 100 + 0)
    }

    /// A text cell a spreadsheet will not run (OWASP, CSV injection): one beginning with `=`, `+`, `-`, `@`, a
    /// tab or a carriage return gets a leading `'`, which spreadsheets show as text. Number columns stay numbers.
    static func spreadsheetSafe(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return value }
        return "'" + value
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
