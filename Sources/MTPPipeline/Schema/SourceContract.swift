/// The source tables and columns the pipeline reads, with the types it expects: the schema contract
/// that `mtp-etl check` verifies and the Central pull compares before copying anything.
public enum SourceContract {
    /// A column type as the pipeline needs it, and the server types that satisfy it without loss.
    public enum ColumnType: String, Sendable {
        case text, integer, bigint, numeric, real, boolean, date, uuid

        /// `information_schema.columns.data_type` values accepted for this type.
        var accepted: Set<String> {
            switch self {
            case .text: return ["text", "character varying"]
            case .integer: return ["integer", "smallint"]
            case .bigint: return ["bigint", "integer", "smallint"]
            case .numeric: return ["numeric", "integer", "smallint", "bigint"]
            case .real: return ["real", "smallint"]
            case .boolean: return ["boolean"]
            case .date: return ["date"]
            case .uuid: return ["uuid"]
            }
        }

        /// True when a server column of `dataType` can be read as this type.
        public func accepts(_ dataType: String) -> Bool { accepted.contains(dataType) }
    }

    /// A table of a source system and the columns the pipeline reads from it.
    public struct Table: Sendable {
        /// Schema name.
        public var schema: String
        /// Table name.
        public var name: String
        /// Columns in the order the pipeline reads them.
        public var columns: [(name: String, type: ColumnType)]
        /// The table's key in the source system (the snapshot keeps it).
        public var primaryKey: [String] = []
        /// Further column lists the snapshot indexes, for the joins of the build stage. An element with a
        /// parenthesis is an expression (`lower(transfer_id)`), written as it is; any other is a column's name.
        public var indexes: [[String]] = []
        /// The privileges the pipeline's role needs on it: SELECT, and for the tables it writes more.
        public var privileges: [String] = ["SELECT"]
        /// `schema.name`, or just `name` in `public`.
        public var qualifiedName: String { schema == "public" ? name : "\(schema).\(name)" }
    }

    private static func table(_ name: String, schema: String = "public", _ columns: [(String, ColumnType)],
                              key: [String] = [], indexes: [[String]] = [], privileges: [String] = ["SELECT"]) -> Table {
        Table(schema: schema, name: name, columns: columns.map { (name: $0.0, type: $0.1) }, primaryKey: key, indexes: indexes,
              privileges: privileges)
    }

    private static let lotKey = ["item_code", "created_ts"]
    private static let recordIndexes = [["item_code", "created_ts"]]

    private static let recordColumns: [(String, ColumnType)] = [
        ("barcode", .uuid), ("item_code", .text), ("created_ts", .bigint), ("received_ts", .bigint),
        ("store_location", .text), ("bag_weight", .numeric), ("gross_weight", .numeric), ("status", .text),
        ("remaining", .numeric),
    ]

    /// Manager tables the pipeline reads (order_plan it also writes; order_plan_raw is its own).
    public static let manager: [Table] = [
        table("order_plan", [("order_code", .text), ("product_name", .text), ("requirement", .integer),
                             ("plan_start", .date), ("plan_end", .date)], privileges: ["SELECT", "INSERT", "UPDATE"]),
        table("order_request", [("request_code", .bigint), ("order_code", .text), ("product_name", .text),
                                ("requirement", .integer), ("comments", .text)]),
        table("order_shipment", [("request_code", .bigint), ("shipment_code", .integer), ("quantity", .integer)]),
        table("order_shipment_event", [("request_code", .bigint), ("shipment_code", .integer), ("status", .text),
                                       ("event_ts", .bigint), ("shipment_vehicle", .text), ("order_remarks", .text),
                                       ("shipment_remarks", .text)]),
        table("order_schedule", [("schedule_code", .bigint), ("schedule_date", .date), ("order_code", .text),
                                 ("shift", .text), ("section", .text), ("quantity", .integer), ("completed", .boolean)]),
    ]

    /// Central tables the pipeline copies into its snapshot, in DOMAIN.md's order.
    public static let central: [Table] = [
        table("store_location", [("location_name", .text), ("herbline_section", .boolean)], key: ["location_name"]),
        table("item", [("item_code", .text), ("created_ts", .bigint)], key: lotKey),
        table("tealine", [("item_code", .text), ("created_ts", .bigint), ("invoice_no", .text), ("grade", .text),
                          ("no_of_bags", .integer), ("weight_per_bag", .numeric), ("broker", .text), ("garden", .text),
                          ("purchase_order", .text)], key: lotKey),
        table("herbline", [("item_code", .text), ("created_ts", .bigint), ("item_name", .text),
                           ("purchase_order", .text), ("weight", .numeric)], key: lotKey),
        table("blendbalance", [("item_code", .text), ("created_ts", .bigint), ("blend_code", .text),
                               ("weight", .numeric), ("transfer_id", .text)], key: lotKey,
              indexes: [["lower(transfer_id)"]]),   // the bag a balance names, as transfer_barcode() reads it
        table("blendsheet", [("blendsheet_no", .text), ("standard", .text), ("grade", .text), ("remarks", .text),
                             ("no_of_batches", .integer), ("total", .numeric), ("blend_code", .text)], key: ["blendsheet_no"]),
        table("flavorsheet", [("flavorsheet_no", .text), ("flavor_code", .text), ("remarks", .text)], key: ["flavorsheet_no"]),
        table("blendsheet_batch", [("item_code", .text), ("created_ts", .bigint), ("blendsheet_no", .text),
                                   ("completed", .boolean), ("humidity", .real), ("density", .real),
                                   ("trader_status", .text)], key: lotKey, indexes: [["blendsheet_no"]]),
        table("flavorsheet_batch", [("item_code", .text), ("created_ts", .bigint), ("flavorsheet_no", .text),
                                    ("completed", .boolean)], key: lotKey),
        table("tealine_record", recordColumns, key: ["barcode"], indexes: recordIndexes),
        table("herbline_record", recordColumns, key: ["barcode"], indexes: recordIndexes),
        table("blendbalance_record", recordColumns, key: ["barcode"], indexes: recordIndexes),
        table("blendsheet_record", recordColumns, key: ["barcode"], indexes: recordIndexes),
        table("flavorsheet_record", recordColumns, key: ["barcode"], indexes: recordIndexes),
        table("tealine_allocate_blendsheet", [("barcode", .uuid), ("item_code", .text), ("created_ts", .bigint), ("amount", .numeric)],
              key: ["barcode", "item_code", "created_ts"], indexes: [["item_code", "created_ts"]]),
        table("blendbalance_allocate_blendsheet", [("barcode", .uuid), ("item_code", .text), ("created_ts", .bigint), ("amount", .numeric)],
              key: ["barcode", "item_code", "created_ts"], indexes: [["item_code", "created_ts"]]),
        table("tealine_allocate_shipment", [("barcode", .uuid), ("request_code", .bigint), ("shipment_code", .integer),
                                            ("amount", .numeric), ("remaining", .numeric)],
              key: ["barcode", "request_code", "shipment_code"], indexes: [["request_code", "shipment_code"]]),
        table("blendsheet_allocate_shipment", [("barcode", .uuid), ("request_code", .bigint), ("shipment_code", .integer),
                                               ("amount", .numeric), ("remaining", .numeric)],
              key: ["barcode", "request_code", "shipment_code"], indexes: [["request_code", "shipment_code"]]),
        table("tealine_allocate_parcel", [("barcode", .uuid), ("request_code", .bigint), ("shipment_code", .integer),
                                          ("schedule_code", .bigint), ("amount", .numeric)],
              key: ["barcode", "request_code", "shipment_code", "schedule_code"],
              indexes: [["request_code", "shipment_code"], ["schedule_code"]]),
        table("blendsheet_allocate_parcel", [("barcode", .uuid), ("request_code", .bigint), ("shipment_code", .integer),
                                             ("schedule_code", .bigint), ("amount", .numeric)],
              key: ["barcode", "request_code", "shipment_code", "schedule_code"],
              indexes: [["request_code", "shipment_code"], ["schedule_code"]]),
        table("blendsheet_mix_tealine", [("blendsheet_no", .text), ("item_code", .text), ("created_ts", .bigint), ("no_of_bags", .integer)],
              key: ["blendsheet_no", "item_code", "created_ts"]),
        table("blendsheet_mix_blendbalance", [("blendsheet_no", .text), ("item_code", .text), ("created_ts", .bigint), ("weight", .numeric)],
              key: ["blendsheet_no", "item_code", "created_ts"]),
        table("flavorsheet_mix", [("flavorsheet_no", .text), ("item_code", .text), ("created_ts", .bigint), ("weight", .numeric)],
              key: ["flavorsheet_no", "item_code", "created_ts"]),
    ]
}
