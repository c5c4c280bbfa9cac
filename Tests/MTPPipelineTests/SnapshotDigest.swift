import MTPPipeline
import Postgres

/// Central's tables against the snapshot a pull wrote of them: an md5 of every row (the contract's columns, as
/// text, in order) per table, so that a snapshot changed in place can be checked against what it copies.
enum SnapshotDigest {
    /// The contract tables whose rows differ between Central behind `central` and the snapshot behind `manager`.
    static func differingTables(central: Connection, manager: Connection) throws -> [String] {
        try SourceContract.central.filter { table in
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            func digest(_ connection: Connection, _ schema: String) throws -> String {
                try connection.query("""
                    select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), ''))
                      from (select \(columns) from \(schema).\(quoteIdentifier(table.name))) r
                    """).first!.decode(String.self, 0)
            }
            return try digest(central, "public") != digest(manager, "snapshot")
        }.map(\.name)
    }
}
