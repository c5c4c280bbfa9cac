import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The management workbook's periods on a hand-built state. The report date is Tuesday 2026-03-03 in
/// Asia/Colombo (UTC+05:30): the day is 03-03, the week to date Monday 03-02 to 03-03, the month to date 03-01 to
/// 03-03, the last 28 days 02-04 to 03-03 and the 28 before them 01-07 to 02-03. Every expected figure is worked
/// out by hand in the comments; the state has a fact on each side of the week boundary (Sunday 03-01 and Monday
/// 03-02), of the month boundary (Saturday 02-28 and Sunday 03-01), and facts whose day differs in UTC.
final class ReportPeriodTests: XCTestCase {
    static func id(_ n: Int) -> String { String(format: "00000000-0000-0000-0000-%012d", n) }
    // Tealine bags b1-b6, blend output bags o1-o4.
    static let b1 = id(1), b2 = id(2), b3 = id(3), b4 = id(4), b5 = id(5), b6 = id(6)
    static let o1 = id(101), o2 = id(102), o3 = id(103), o4 = id(104)

    static let centralState = """
        create function pg_temp.ms(t timestamptz) returns bigint language sql immutable as $$
            select (extract(epoch from t) * 1000)::bigint $$;
        insert into store_location values ('WH-A', false), ('HERB-1', true);
        -- Lots, counted on the day they were created: TL-P1 on 02-01 (previous 28 days), TL-P2 on 02-28 (last 28
        -- days only), TL-P3 at 23:45 UTC on Sunday 03-01, which is 05:15 on Monday 03-02 in Colombo (the week).
        insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
             values ('TL-P1', pg_temp.ms('2026-02-01 09:00+05:30'), 'I-1', 'BOP', 1, 50, 'Bartleet', 'Pedro', 'PO-1'),
                    ('TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), 'I-2', 'BOP', 5, 50, 'Bartleet', 'Pedro', 'PO-2'),
                    ('TL-P3', pg_temp.ms('2026-03-01 23:45+00'), 'I-3', 'BOP', 2, 50, 'Bartleet', 'Pedro', 'PO-3');
        -- Bags, each on the day it was received (net = gross - 1 kg):
        --   b1 50 kg Sunday 02-01 (previous 28)          b2 40 kg Saturday 02-28 (last 28 only)
        --   b3 30 kg Sunday 03-01 (month, not the week)   b4 20 kg 03-01 23:30 UTC = Monday 03-02 05:00 Colombo (week)
        --   b5 10 kg 03-02 18:45 UTC = 03-03 00:15 Colombo (the day)   b6 5 kg Wednesday 03-04, after the report date
        insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(b1)', 'TL-P1', pg_temp.ms('2026-02-01 09:00+05:30'), pg_temp.ms('2026-02-01 10:00+05:30'), 'WH-A', 1, 51, '', 0),
                    ('\(b2)', 'TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), pg_temp.ms('2026-02-28 12:00+05:30'), 'WH-A', 1, 41, '', 0),
                    ('\(b3)', 'TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), pg_temp.ms('2026-03-01 12:00+05:30'), 'WH-A', 1, 31, '', 0),
                    ('\(b4)', 'TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), pg_temp.ms('2026-03-01 23:30+00'), 'WH-A', 1, 21, '', 0),
                    ('\(b5)', 'TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), pg_temp.ms('2026-03-02 18:45+00'), 'WH-A', 1, 11, '', 0),
                    ('\(b6)', 'TL-P2', pg_temp.ms('2026-02-28 08:00+05:30'), pg_temp.ms('2026-03-04 09:00+05:30'), 'WH-A', 1, 6, '', 0);
        -- Batches: X1 = b1 50 kg -> o1 45 kg (90 %); X2 = b2 40 + b3 30 = 70 kg -> o2 35 + o3 28 = 63 kg (90 %);
        -- X3 = b4 20 kg -> o4 14 kg (70 %, Poor). A batch is completed on its last output bag: X1 on 02-02
        -- (previous 28), X2 on o3 at 03-02 19:00 UTC = 03-03 00:30 Colombo (the day), X3 on Monday 03-02 (week).
        insert into blendsheet (blendsheet_no, standard, remarks, no_of_batches, total) values ('BS-P', 'STD', '-', 3, 150);
        insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, trader_status)
             values ('X1', pg_temp.ms('2026-02-02 08:00+05:30'), 'BS-P', true, 'TRADER_ALLOWED'),
                    ('X2', pg_temp.ms('2026-03-01 08:00+05:30'), 'BS-P', true, 'TRADER_ALLOWED'),
                    ('X3', pg_temp.ms('2026-03-02 08:00+05:30'), 'BS-P', true, 'TRADER_ALLOWED');
        insert into tealine_allocate_blendsheet
             values ('\(b1)', 'X1', pg_temp.ms('2026-02-02 08:00+05:30'), 50), ('\(b2)', 'X2', pg_temp.ms('2026-03-01 08:00+05:30'), 40),
                    ('\(b3)', 'X2', pg_temp.ms('2026-03-01 08:00+05:30'), 30), ('\(b4)', 'X3', pg_temp.ms('2026-03-02 08:00+05:30'), 20);
        -- Output, each bag on the day it was made: o1 02-02; o2 Sunday 03-01 20:00 (month, not week); o3 the day;
        -- o4 Monday 03-02.
        insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(o1)', 'X1', pg_temp.ms('2026-02-02 08:00+05:30'), pg_temp.ms('2026-02-02 10:00+05:30'), 'WH-A', 1, 46, '', 0),
                    ('\(o2)', 'X2', pg_temp.ms('2026-03-01 08:00+05:30'), pg_temp.ms('2026-03-01 20:00+05:30'), 'WH-A', 1, 36, '', 0),
                    ('\(o3)', 'X2', pg_temp.ms('2026-03-01 08:00+05:30'), pg_temp.ms('2026-03-02 19:00+00'), 'WH-A', 1, 29, '', 0),
                    ('\(o4)', 'X3', pg_temp.ms('2026-03-02 08:00+05:30'), pg_temp.ms('2026-03-02 12:00+05:30'), 'WH-A', 1, 15, '', 0);
        -- Shipments: (1,1) o1 45 kg; (2,1) o2 35 kg; (2,2) o3 28 kg, not dispatched; (3,1) b5 10 kg directly.
        insert into blendsheet_allocate_shipment values ('\(o1)', 1, 1, 45, 0), ('\(o2)', 2, 1, 35, 0), ('\(o3)', 2, 2, 28, 0);
        insert into tealine_allocate_shipment values ('\(b5)', 3, 1, 10, 0);
        update blendsheet_record set status = 'DISPATCHED' where barcode in ('\(o1)', '\(o2)');
        update tealine_record set status = 'DISPATCHED' where barcode = '\(b5)';
        -- b2 lies in the herbline section (an old row the trigger would refuse today): an error dated 02-28.
        set session_replication_role = replica;
        update tealine_record set store_location = 'HERB-1' where barcode = '\(b2)';
        set session_replication_role = origin;
        """

    static let managerState = """
        create function pg_temp.ms(t timestamptz) returns bigint language sql immutable as $$
            select (extract(epoch from t) * 1000)::bigint $$;
        -- Plans, each order due on its plan end: O1 02-03 (previous 28), O2 Sunday 03-01 (month, not week), O3 the
        -- day, O4 02-25 (last 28 only), O5 03-10 (after the report date).
        insert into order_plan values ('O1', 'Tea', 100, '2026-01-20', '2026-02-03'), ('O2', 'Tea', 100, '2026-02-20', '2026-03-01'),
                                      ('O3', 'Tea', 100, '2026-02-25', '2026-03-03'), ('O4', 'Tea', 100, '2026-02-10', '2026-02-25'),
                                      ('O5', 'Tea', 100, '2026-03-01', '2026-03-10');
        insert into order_request (request_code, order_code, product_name, requirement) values (1, 'O1', 'Tea', 45), (2, 'O2', 'Tea', 63), (3, 'O3', 'Tea', 10);
        -- (3,1) says 12 kg where 10 are allocated: a warning dated by its dispatch, on the day.
        insert into order_shipment values (1, 1, 45), (2, 1, 35), (2, 2, 28), (3, 1, 12);
        -- Dispatches: (1,1) 02-03 10:00, on O1's plan end: on time. (2,1) 03-01 21:00 UTC = Monday 03-02 02:30
        -- Colombo: after O2's plan end in Colombo (late), on it in UTC. (3,1) the day 15:00: O3 on time. O4 has
        -- nothing: late, and open past its plan end ever since.
        insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
             values (1, 1, 'SHIPMENT_DISPATCHED', pg_temp.ms('2026-02-03 10:00+05:30'), 'WP LB-1'),
                    (2, 1, 'SHIPMENT_DISPATCHED', pg_temp.ms('2026-03-01 21:00+00'), 'WP LB-2'),
                    (2, 2, 'SHIPMENT_ACCEPTED', pg_temp.ms('2026-03-03 09:00+05:30'), null),
                    (3, 1, 'SHIPMENT_DISPATCHED', pg_temp.ms('2026-03-03 15:00+05:30'), 'WP LB-3');
        """

    var sources: SourceDatabases!
    var out: TemporaryDirectory!

    override func setUpWithError() throws {
        sources = try SourceDatabases("periods")
        try sources.central.connect().execute(Self.centralState)
        let manager = try sources.manager.connect()
        try manager.execute(Self.managerState)
        // Planning files: 2 rejected rows received on 02-02 (previous 28), 1 on the day (03-02 23:00 UTC = 03-03
        // 04:30 Colombo). Their good rows plan orders due in June: in no period.
        out = try TemporaryDirectory()
        try out.write("a.csv", """
            order_code,product_name,requirement,plan_start,plan_end
            PA-1,Tea,10,2026-06-01,2026-06-30
            PA-2,Tea,10,2026-06-01,2026-06-30
            PA-3,Tea,10,2026-06-01,2026-06-30
            PA-4,Tea,10.5,2026-06-01,2026-06-30
            PA-5,Tea,10,2026-06-31,2026-06-30

            """)
        try out.write("b.csv", """
            order_code,product_name,requirement,plan_start,plan_end
            PB-1,Tea,10,2026-06-01,2026-06-30
            PB-2,Tea,10,2026-06-01,2026-06-30
            PB-3,,10,2026-06-01,2026-06-30

            """)
        for (file, received) in [("a.csv", "2026-02-02 12:00:00+00"), ("b.csv", "2026-03-02 23:00:00+00")] {
            let options = PlanImportOptions(receivedAt: Date(postgresText: received))
            let results = try PlanImporter(options: options).importFiles([out.url.appendingPathComponent(file)], connection: manager)
            XCTAssertEqual(results.first?.status, .imported, "\(file): \(results.first?.message ?? "")")
        }
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        try FactsBuild(files: SourceDatabases.files).run(manager)
    }

    override func tearDown() {
        sources = nil
        out = nil
    }

    /// Writes the workbook for 2026-03-03 and reads it back.
    func workbook(timeZone: String = "Asia/Colombo", periodDays: Int = 28, folder: String = "book") throws -> WorkbookReading {
        let run = try CommandLineRun.run(["report", "--out", out.url.appendingPathComponent(folder).path, "--date", "2026-03-03",
                                          "--timezone", timeZone, "--period-days", String(periodDays)],
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try WorkbookReading.read(out.url.appendingPathComponent("\(folder)/mtp-report-2026-03-03.xlsx"))
    }

    /// A Summary row's figures for the day, week, month, last 28 days, previous 28 days, change and change %
    /// (nil where the cell is blank).
    func figures(_ summary: WorkbookReading.SheetReading, _ label: String, file: StaticString = #filePath, line: UInt = #line) -> [Double?] {
        guard let row = summary.row(labelled: label) else {
            XCTFail("no Summary row \(label)", file: file, line: line)
            return []
        }
        return (1...7).map { index in
            guard index < row.count, let cell = row[index], case .number(let value) = cell.v else { return nil }
            return (value * 10_000).rounded() / 10_000
        }
    }

    func testEveryKeyFigureLandsInItsPeriodsByItsOwnTimeInTheReportsTimeZone() throws {
        let book = try workbook()
        XCTAssertEqual(book.sheets.map(\.name), ["Summary", "Changes", "Trends", "Orders", "Yield by batch", "Yield by blendsheet", "Receiving",
                                                 "Traceability", "Reconciliation", "Import rejects"])
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(summary.text(0, 0), "MTP daily report for Tuesday 3 March 2026 (Asia/Colombo) · data as of 2026-03-04 09:00 · Central snapshot 1",
                       "the title states the day, the zone and the data's time (b6, the newest bag)")
        XCTAssertEqual((1...5).map { summary.text(1, $0) }, ["Day", "Week to date", "Month to date", "Last 28 days", "Previous 28 days"])
        // The periods' dates, as date cells.
        let dates = { (label: String) in summary.row(labelled: label).map { Array($0[1...5]).map { $0.map { cell -> String in
            if case .text(let t) = cell.v { return String(t.prefix(10)) } else { return "?" } } } } }
        XCTAssertEqual(dates("From"), ["2026-03-03", "2026-03-02", "2026-03-01", "2026-02-04", "2026-01-07"])
        XCTAssertEqual(dates("To"), ["2026-03-03", "2026-03-03", "2026-03-03", "2026-03-03", "2026-02-03"])

        //                                                             day  week  month  last28  prev28  change  change %
        // Received: b5 (day); + b4 (Monday, week); + b3 (Sunday 03-01, month); + b2 (02-28); b1 (02-01).
        XCTAssertEqual(figures(summary, "Tealine received (kg)"), [10, 30, 60, 100, 50, 50, 1])
        XCTAssertEqual(figures(summary, "Tealine bags received"), [1, 2, 3, 4, 1, 3, 3])
        // Lots by creation: TL-P3 (Monday in Colombo), TL-P2 (02-28), TL-P1 (02-01).
        XCTAssertEqual(figures(summary, "Tealine lots received"), [0, 1, 1, 2, 1, 1, 1])
        // Output: o3 28 (day); + o4 14 (Monday); + o2 35 (Sunday); o1 45 (previous).
        XCTAssertEqual(figures(summary, "Blend output (kg)"), [28, 42, 77, 77, 45, 32, 0.7111])
        // Completed: X2 (day), X3 (Monday), X1 (previous).
        XCTAssertEqual(figures(summary, "Batches completed"), [1, 2, 2, 2, 1, 1, 1])
        // Yield of completed batches: X2 63/70 = 90 %; with X3 (63 + 14) / (70 + 20) = 85.56 %; X1 45/50 = 90 %;
        // the change is in points (-4.44), with no change %.
        XCTAssertEqual(figures(summary, "Yield of completed batches"), [0.9, 0.8556, 0.8556, 0.8556, 0.9, -0.0444, nil])
        XCTAssertEqual(figures(summary, "Batches rated Poor or Data error"), [0, 1, 1, 1, 0, 1, nil], "X3 at 70 %")
        // Dispatched: (3,1) 10 kg on the day; (2,1) 35 kg at 02:30 on Monday in Colombo; (1,1) 45 kg on 02-03.
        XCTAssertEqual(figures(summary, "Shipments dispatched"), [1, 2, 2, 2, 1, 1, 1])
        XCTAssertEqual(figures(summary, "Dispatched (kg)"), [10, 45, 45, 45, 45, 0, 0])
        // Due: O3 (day), O2 (Sunday: month, not week), O4 (02-25), O1 (previous).
        XCTAssertEqual(figures(summary, "Orders due"), [1, 1, 2, 3, 1, 2, 2])
        // On time: O3 and O1; O2 dispatched on Monday in Colombo, after its Sunday plan end; O4 nothing.
        XCTAssertEqual(figures(summary, "Orders due: on time"), [1, 1, 0.5, 0.3333, 1, -0.6667, nil])
        XCTAssertEqual(figures(summary, "Orders due: late"), [0, 0, 1, 2, 0, 2, nil])
        // Open past plan end at each period's end: O4 since 02-26; at the end of 02-03 none (O1's plan end is that day).
        XCTAssertEqual(figures(summary, "Open orders past plan end"), [1, 1, 1, 1, 0, 1, nil])
        // Findings: b2 in a herbline section (error, 02-28); (3,1) 12 kg said, 10 allocated (warning, the day).
        XCTAssertEqual(figures(summary, "Findings: errors"), [0, 0, 0, 1, 0, 1, nil])
        XCTAssertEqual(figures(summary, "Findings: warnings"), [1, 1, 1, 1, 0, 1, nil])
        // Rejected planning rows: b.csv's one on the day, a.csv's two on 02-02.
        XCTAssertEqual(figures(summary, "Planning rows rejected"), [1, 1, 1, 1, 2, -1, -0.5])

        // The same facts in UTC: b4 (03-01 23:30) is a Sunday and b5 (03-02 18:45) a Monday, so the day has none and
        // the week only b5; (2,1) left on 03-01 itself, so O2 was on time: the month 2 of 2, the last 28 days 2 of 3.
        let utc = try XCTUnwrap(try workbook(timeZone: "UTC", folder: "utc").sheet("Summary"))
        XCTAssertEqual(Array(figures(utc, "Tealine received (kg)").prefix(5)), [0, 10, 60, 100, 50])
        XCTAssertEqual(Array(figures(utc, "Orders due: on time").prefix(5)), [1, 1, 1, 0.6667, 1])
    }

    func testTrendsGiveTwelveISOWeeksWithZerosForEmptyWeeksAndChartsWithThresholds() throws {
        let trends = try XCTUnwrap(try workbook().sheet("Trends"))
        let weeks = trends.rows.dropFirst(2).filter { $0.first??.t == "s" }
        XCTAssertEqual(weeks.count, 12)
        XCTAssertEqual(weeks.map { $0[1]?.v }, ["2025-12-15", "2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19",
                                                "2026-01-26", "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"]
                           .map { .text("\($0)T00:00:00") }, "the Mondays, as date cells")
        XCTAssertEqual(weeks.map { $0[0]?.v }, ["W51", "W52", "W01", "W02", "W03", "W04", "W05", "W06", "W07", "W08", "W09", "W10"].map { .text($0) })
        let column = { (header: String) in trends.rows[1].firstIndex { $0?.v == .text(header) }! }
        let value = { (week: Int, header: String) -> Double? in
            guard let cell = weeks[week][column(header)], case .number(let n) = cell.v else { return nil }
            return (n * 10_000).rounded() / 10_000
        }
        // An empty week: zeros, and no yield or on-time share (nothing to divide).
        XCTAssertEqual(["Received (kg)", "Output (kg)", "Batches completed", "Dispatched (kg)", "Orders due", "New findings"].map { value(0, $0) },
                       [0, 0, 0, 0, 0, 0])
        XCTAssertNil(value(0, "Yield"))
        XCTAssertNil(value(0, "On time"))
        // W05 (01-26 to Sunday 02-01): b1 50 kg. W06: o1 45 kg out of X1 (90 %), (1,1) 45 kg dispatched, O1 due on time.
        XCTAssertEqual(value(6, "Received (kg)"), 50)
        XCTAssertEqual([value(7, "Output (kg)"), value(7, "Yield"), value(7, "Dispatched (kg)"), value(7, "Orders due"), value(7, "On time")],
                       [45, 0.9, 45, 1, 1])
        // W09 (02-23 to Sunday 03-01): b2 + b3 70 kg, o2 35 kg, no batch completed, O4 and O2 due and late, b2's error.
        XCTAssertEqual([value(10, "Received (kg)"), value(10, "Output (kg)"), value(10, "Orders due"), value(10, "On time"), value(10, "New findings")],
                       [70, 35, 2, 0, 1])
        XCTAssertNil(value(10, "Yield"))
        // W10 (to the report date): b4 + b5 30 kg, o3 + o4 42 kg, X2 and X3 77/90, (2,1) + (3,1) 45 kg, O3 on time.
        XCTAssertEqual([value(11, "Received (kg)"), value(11, "Output (kg)"), value(11, "Batches completed"), value(11, "Yield"),
                        value(11, "Dispatched (kg)"), value(11, "On time"), value(11, "New findings")],
                       [30, 42, 2, 0.8556, 45, 1, 1])
        XCTAssertEqual(["Excellent from", "Good from", "Fair from"].map { value(11, $0) }, [0.95, 0.85, 0.75])
        XCTAssertEqual(trends.charts, 2, "weekly yield with its thresholds, and kg by week")
    }

    func testDetailSheetsListThePeriodAndWhatIsOpenAndPeriodDaysWidensThem() throws {
        let orders = { (book: WorkbookReading) -> [String: String] in
            let sheet = book.sheet("Orders")!
            var labels: [String: String] = [:]
            for row in sheet.rows.dropFirst(2) { if case .text(let code)? = row[0]?.v, case .text(let label)? = row[13]?.v { labels[code] = label } }
            return labels
        }
        let book = try workbook()
        // Due 02-04 to 03-03: O2 (late), O3 (on time), O4 (overdue); open: O5 and the June plans. O1 (due 02-03 and
        // dispatched then) is outside.
        XCTAssertEqual(orders(book), ["O2": "late", "O3": "on time", "O4": "overdue", "O5": "open",
                                      "PA-1": "open", "PA-2": "open", "PA-3": "open", "PB-1": "open", "PB-2": "open"])
        XCTAssertEqual(book.sheet("Orders")?.text(0, 0),
                       "Orders due or dispatched 2026-02-04 to 2026-03-03, and every order not yet dispatched (kg)")
        // One more day reaches O1.
        XCTAssertEqual(orders(try workbook(periodDays: 29, folder: "wider"))["O1"], "on time")
        // Batches made or completed in the period: X2, X3; X1 (02-02) is not. Receiving: lots created from 02-04.
        let batches = book.sheet("Yield by batch")!.rows.dropFirst(2).compactMap { $0[0].flatMap { if case .text(let t) = $0.v { t } else { nil } } }
        XCTAssertEqual(Set(batches), ["X2", "X3"])
        let lots = book.sheet("Receiving")!.rows.dropFirst(2).compactMap { $0[0].flatMap { if case .text(let t) = $0.v { t } else { nil } } }
        XCTAssertEqual(Set(lots), ["TL-P2", "TL-P3"])
        // Reconciliation: errors first, then the newest.
        let findings = book.sheet("Reconciliation")!
        XCTAssertEqual([findings.text(2, 0), findings.text(2, 1), findings.text(3, 0), findings.text(3, 1)],
                       ["error", "location_violation", "warning", "quantity_mismatch"])
    }

    func testConditionalFormatsAndPrintSettingsAreTheWorkbooksOwn() throws {
        let book = try workbook()
        let yield = try XCTUnwrap(book.sheet("Yield by batch"))
        let last = yield.rows.count
        // Ratings coloured in their own cell, blue for good and orange for poor (never red against green), each
        // beside its text; yields as data bars from 50 % to 100 %.
        XCTAssertEqual(yield.conditional, ["J3:J\(last) dataBar 0.5..1.0",
                                           "K3:K\(last) $K3=\"Excellent\" fill 9ECAE1", "K3:K\(last) $K3=\"Good\" fill DEEBF7",
                                           "K3:K\(last) $K3=\"Fair\" fill FFEB9C", "K3:K\(last) $K3=\"Poor\" fill FDC48F",
                                           "K3:K\(last) $K3=\"Data error\" fill DADAEB", "K3:K\(last) $K3=\"in progress\" fill E7E7E7"])
        let orders = try XCTUnwrap(book.sheet("Orders"))
        XCTAssertTrue(orders.conditional.contains("A3:O\(orders.rows.count) $N3=\"overdue\" fill FDC48F"), "\(orders.conditional)")
        XCTAssertTrue(orders.conditional.contains("A3:O\(orders.rows.count) $N3=\"late\" fill FFEB9C"), "\(orders.conditional)")
        let findings = try XCTUnwrap(book.sheet("Reconciliation"))
        XCTAssertEqual(findings.conditional, ["A3:A4 $A3=\"error\" fill FDC48F", "A3:A4 $A3=\"warning\" fill FFEB9C"])
        // Every sheet: A4, one page wide and as many tall as needed, title and header on every page, a footer with
        // the workbook's title, the sheet, the report date and "page N of M".
        for sheet in book.sheets {
            XCTAssertEqual(sheet.print.paper, 9, sheet.name)
            XCTAssertEqual(sheet.print.fitToWidth, 1, sheet.name)
            XCTAssertEqual(sheet.print.fitToHeight, 0, sheet.name)
            XCTAssertEqual(sheet.print.titleRows, "$1:$2", sheet.name)
            XCTAssertEqual(sheet.print.footer, "&LMTP daily report 2026-03-03&C&A&Rreport date 2026-03-03 · page &P of &N", sheet.name)
            XCTAssertEqual(sheet.print.orientation, "landscape", "\(sheet.name) is wide")
            XCTAssertGreaterThan(sheet.print.margins[0], 0.3, sheet.name)
        }
    }
}
