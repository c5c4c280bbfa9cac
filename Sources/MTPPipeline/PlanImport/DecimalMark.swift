/// The character that marks decimals in a planning file's numbers; the other one, and spaces, group thousands.
public enum DecimalMark: String, CaseIterable, Sendable {
    /// `1,200.50`: a point marks decimals (comma- and tab-delimited files).
    case point = "."
    /// `1.200,50`: a comma marks decimals (semicolon-delimited files, from comma-decimal locales).
    case comma = ","

    /// The mark a file uses: the one given, else a comma in a semicolon-delimited file, else a point.
    public static func of(delimiter: UInt8, given: DecimalMark?) -> DecimalMark {
        given ?? (delimiter == UInt8(ascii: ";") ? .comma : .point)
    }

    /// The byte of the mark.
    var byte: UInt8 { self == .point ? UInt8(ascii: ".") : UInt8(ascii: ",") }
    /// The byte that groups thousands besides spaces.
    var groupByte: UInt8 { self == .point ? UInt8(ascii: ",") : UInt8(ascii: ".") }
}
