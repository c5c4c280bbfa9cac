import Postgres

/// The columns of a database's tables in some schemas, read once from `information_schema.columns`.
public struct DatabaseCatalog {
    /// One column as the server has it.
    public struct Column {
        /// The column's name.
        public var name: String
        /// Its type as `information_schema` names it (`text`, `bigint`, `timestamp with time zone`).
        public var dataType: String
        /// Whether it is an identity column.
        public var isIdentity: Bool
    }

    /// Columns in ordinal order, by `schema.table`.
    public var tables: [String: [Column]] = [:]

    /// Reads the catalog of `schemas`.
    public static func read(_ connection: Connection, schemas: [String]) throws -> DatabaseCatalog {
        var catalog = DatabaseCatalog()
        for row in try connection.query("""
            select table_schema || '.' || table_name, column_name, data_type, is_identity = 'YES'
              from information_schema.columns
             where table_schema = any($1::text[])
             order by table_schema, table_name, ordinal_position
            """, [schemas]).rows {
            catalog.tables[try row.decode(String.self, 0), default: []].append(
                Column(name: try row.decode(String.self, 1), dataType: try row.decode(String.self, 2), isIdentity: try row.decode(Bool.self, 3)))
        }
        return catalog
    }
}
