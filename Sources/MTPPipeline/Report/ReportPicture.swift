/// A picture a report draws for a picture sheet (`"picture": "genealogy"` in a layout): a PNG, the size to place
/// it at, and a line saying what it shows.
public struct ReportPicture: Sendable {
    /// The PNG's bytes.
    public var png: [UInt8]
    /// Its size in the sheet, as a fraction of its pixels (a picture drawn at 150 dpi shown at 96).
    public var scale: Double
    /// What it shows (and what was grouped to keep it readable); also its alternative text.
    public var note: String

    /// A picture of `png`'s bytes placed at `scale`, described by `note`.
    public init(png: [UInt8], scale: Double, note: String) {
        self.png = png
        self.scale = scale
        self.note = note
    }
}
