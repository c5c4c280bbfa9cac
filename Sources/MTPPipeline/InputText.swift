/// Input as a message shows it: a value or line of a file, however long and whatever it holds.
public enum InputText {
    /// The most characters of one input a message quotes.
    public static let shownCharacters = 200

    /// `text` with control characters escaped (`\u{1B}`, so that a terminal never acts on them) and cut after
    /// ``shownCharacters`` characters with its whole length in bytes (`…` and `(2,800,000 bytes)`).
    public static func shown(_ text: some StringProtocol) -> String {
        var shown = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == shownCharacters {
                return shown + "… (\(text.utf8.count) bytes)"
            }
            switch scalar.value {
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x202A..<0x202F, 0x2066..<0x206A:
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default:
                shown.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return shown
    }
}
