/// How a sheet prints (and saves as PDF): orientation, one page wide, the title and header rows on every page, a
/// footer naming the workbook, the sheet and the page, and margins. Every sheet of a report gets the same one.
public struct PageSetup: Sendable, Equatable {
    /// Which way up the page is.
    public enum Orientation: String, Sendable, Codable {
        /// Upright.
        case portrait
        /// On its side.
        case landscape
        /// Landscape when the sheet's columns are wider than an upright page holds at full size.
        case automatic
    }

    /// A footer's three parts, as plain text: `{page}`, `{pages}` and `{sheet}` stand for the page number, the
    /// number of pages and the sheet's name; everything else prints as written.
    public struct Footer: Sendable, Equatable {
        /// Printed at the left.
        public var left: String
        /// Printed in the middle.
        public var center: String
        /// Printed at the right.
        public var right: String

        /// Describes a footer.
        public init(left: String = "", center: String = "", right: String = "") {
            self.left = left
            self.center = center
            self.right = right
        }

        /// Excel's header and footer codes for it, at most 255 characters: `&` doubled, fields as `&P`, `&N`
        /// and `&A`, each part in 8 pt. A long left part is shortened first.
        public var code: String {
            func part(_ text: String) -> String {
                text.replacingOccurrences(of: "&", with: "&&").replacingOccurrences(of: "{page}", with: "&P")
                    .replacingOccurrences(of: "{pages}", with: "&N").replacingOccurrences(of: "{sheet}", with: "&A")
            }
            let center = part(self.center), right = part(self.right)
            var left = part(self.left)
            let fixed = "&L&8&C&8\(center)&R&8\(right)".count
            if fixed + left.count > 255 {
                left = String(left.prefix(max(0, 255 - fixed - 1))) + "…"
                if left.hasSuffix("&…"), !left.hasSuffix("&&…") { left = String(left.dropLast(2)) + "…" }
            }
            return "&L&8\(left)&C&8\(center)&R&8\(right)"
        }
    }

    /// The placeholders a footer's text may hold: the page number, the number of pages, the sheet's name.
    public static let footerFields: Set<String> = ["page", "pages", "sheet"]

    /// Which way up; automatic by default.
    public var orientation: Orientation
    /// Scaled to one page wide (as many pages tall as needed).
    public var fitToWidth: Bool
    /// Scaled to one page tall as well (a picture that must print whole).
    public var fitToHeight: Bool
    /// The footer, when wanted.
    public var footer: Footer?

    /// Describes a page setup; A4, margins of about 1.5 cm with room for the footer.
    public init(orientation: Orientation = .automatic, fitToWidth: Bool = true, fitToHeight: Bool = false, footer: Footer? = nil) {
        self.orientation = orientation
        self.fitToWidth = fitToWidth
        self.fitToHeight = fitToHeight
        self.footer = footer
    }

    /// Column widths (in characters) that fit an upright A4 page at full size between the margins.
    public static let portraitWidth = 95.0

    /// Whether a sheet whose columns add up to `contentWidth` characters prints on its side.
    public func isLandscape(contentWidth: Double) -> Bool {
        switch orientation {
        case .portrait: return false
        case .landscape: return true
        case .automatic: return contentWidth > Self.portraitWidth
        }
    }
}
