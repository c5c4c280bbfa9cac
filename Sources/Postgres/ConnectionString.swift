/// Facts about a conninfo string or `postgresql://` URI that are safe to show.
public enum ConnectionString {
    /// The password the string carries, if any (used only to scrub messages).
    static func password(in conninfo: String) -> String? {
        LibPQ.parseConninfo(conninfo)?.first { $0.keyword == "password" }?.value
    }

    /// Removes every occurrence of the string's password (and of the string itself) from `message`.
    public static func redact(_ message: String, conninfo: String) -> String {
        var text = message
        if !conninfo.isEmpty { text = text.replacingOccurrences(of: conninfo, with: describe(conninfo)) }
        if let password = password(in: conninfo), !password.isEmpty {
            text = text.replacingOccurrences(of: password, with: "********")
        }
        return text
    }

    /// `host H port P database D user U` as far as the string says; never the password.
    public static func describe(_ conninfo: String) -> String {
        guard let pairs = LibPQ.parseConninfo(conninfo) else { return "(unparsable connection string)" }
        let wanted = ["host", "hostaddr", "port", "dbname", "user"]
        let labels = ["host": "host", "hostaddr": "address", "port": "port", "dbname": "database", "user": "user"]
        let parts = wanted.compactMap { key in
            pairs.first { $0.keyword == key }.map { "\(labels[key]!) \($0.value)" }
        }
        return parts.isEmpty ? "(libpq defaults)" : parts.joined(separator: " ")
    }

    /// In a `postgresql://` URI, the first character of its user information (user and password) that libpq
    /// would read otherwise than the writer meant: an `@`, `/`, `?`, `#` or space not percent-encoded, a second
    /// `:`, or a `%` not starting an escape. libpq's user information ends at its first `@` (and at a `/`), so
    /// such a password turns up in pieces in the host name of its error messages. The user information is read
    /// as generously as it can be meant: everything up to the URI's last `@`. Nil when there is none.
    public static func misreadUserInfoCharacter(_ conninfo: String) -> Character? {
        guard let userInfo = userInfo(conninfo) else { return nil }
        var colons = 0
        var index = userInfo.startIndex
        while index < userInfo.endIndex {
            let character = userInfo[index]
            switch character {
            case "@", "/", "?", "#", " ", "\t", "\n": return character
            case ":":
                colons += 1
                if colons > 1 { return ":" }
            case "%":
                let digits = userInfo[userInfo.index(after: index)...].prefix(2)
                guard digits.count == 2, digits.allSatisfy(\.isHexDigit) else { return "%" }
            default: break
            }
            index = userInfo.index(after: index)
        }
        return nil
    }

    /// The URI with its user information shown as `***` (for a message about it); other strings unchanged.
    public static func maskingUserInfo(_ conninfo: String) -> String {
        guard let scheme = uriScheme(conninfo), let at = conninfo.lastIndex(of: "@"), at > scheme else { return conninfo }
        return String(conninfo[..<scheme]) + "***" + String(conninfo[at...])
    }

    /// Where a URI's user information starts (after `postgresql://` or `postgres://`), for a URI.
    private static func uriScheme(_ conninfo: String) -> String.Index? {
        for scheme in ["postgresql://", "postgres://"] where conninfo.lowercased().hasPrefix(scheme) {
            return conninfo.index(conninfo.startIndex, offsetBy: scheme.count)
        }
        return nil
    }

    /// A URI's user information, read up to its last `@`; nil for a conninfo string or a URI without one.
    private static func userInfo(_ conninfo: String) -> Substring? {
        guard let start = uriScheme(conninfo), let at = conninfo.lastIndex(of: "@"), at >= start else { return nil }
        return conninfo[start..<at]
    }

    /// True when libpq can parse the string.
    public static func isValid(_ conninfo: String) -> Bool {
        LibPQ.parseConninfo(conninfo) != nil
    }
}
