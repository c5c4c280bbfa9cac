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

    /// True when libpq can parse the string.
    public static func isValid(_ conninfo: String) -> Bool {
        LibPQ.parseConninfo(conninfo) != nil
    }
}
