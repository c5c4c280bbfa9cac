import Foundation
import Spreadsheet

/// What a set of report definitions shares, from `reports/<workbook>/workbook.json`: the workbook's title and
/// subject (its document properties) and the footer every printed page carries. Texts may name report settings
/// (`{report_date}`); the footer also `{title}` (the workbook's), `{sheet}`, `{page}` and `{pages}`.
public struct WorkbookLayout: Decodable, Sendable {
    /// A footer's three parts.
    public struct Footer: Decodable, Sendable {
        /// Printed at the left, in the middle and at the right.
        public var left: String?, center: String?, right: String?
    }

    /// The file's name inside a definitions directory.
    public static let fileName = "workbook.json"

    /// The workbook's title.
    public var title: String
    /// What it is about.
    public var subject: String
    /// The printed footer.
    public var footer: Footer?

    /// The layout of `directory`, or nil when it has none (every sheet then prints with the program's defaults).
    public static func load(_ directory: URL) throws -> WorkbookLayout? {
        let file = directory.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        do {
            return try JSONDecoder().decode(WorkbookLayout.self, from: Data(contentsOf: file))
        } catch {
            throw PipelineError(.operational, "\(file.path) cannot be read: \(error)")
        }
    }

    /// The page setup of every sheet, with the settings filled in.
    func pageSetup(_ settings: ReportSettings) throws -> PageSetup {
        let title = try settings.fill(self.title)
        let footer = try self.footer.map { footer in
            let fill = { (text: String?) in try settings.fill(text ?? "", extra: ["title": title], keeping: PageSetup.footerFields) }
            return PageSetup.Footer(left: try fill(footer.left), center: try fill(footer.center), right: try fill(footer.right))
        }
        return PageSetup(footer: footer)
    }
}
