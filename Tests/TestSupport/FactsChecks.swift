import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres

/// Checks the build tests make on any state.
public enum FactsChecks {
    /// Shipments whose attributed plus untraced kilograms differ from what is allocated to them by more than 0.01 kg.
    public static func unbalancedShipments(_ manager: Connection) throws -> Int {
        try manager.query("""
            with allocated as (select request_code, shipment_code, sum(kg) as kg from facts.edge_record_shipment group by 1, 2),
                 attributed as (select request_code, shipment_code, sum(kg) as kg from facts.shipment_attribution group by 1, 2)
            select count(*) from allocated a left join attributed t using (request_code, shipment_code)
             where abs(a.kg - coalesce(t.kg, 0)) > 0.01
            """).first!.decode(Int.self, 0)
    }

    /// Every facts table's rows: a count and a digest each, by table.
    public static func digest(_ manager: Connection) throws -> [String: String] {
        var digest: [String: String] = [:]
        for row in try manager.query("select tablename from pg_tables where schemaname = 'facts' order by 1").rows {
            let table = try row.decode(String.self, 0)
            digest[table] = try manager.query("""
                select count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from facts.\(quoteIdentifier(table)) t
                """).first!.decode(String.self, 0)
        }
        return digest
    }
}
