import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class PlanRowValidatorTests: XCTestCase {
    func testRequirementAcceptsSeparatorsAndZeroFractions() {
        let accepted = ["1200": 1200, "1,200": 1200, "1 200": 1200, "1\u{00A0}200": 1200, "1200.00": 1200,
                        "12,345,678": 12_345_678, "7": 7, "+15": 15, "0042": 42]
        for (text, value) in accepted {
            XCTAssertEqual(try PlanRowValidator.parseRequirement(text).get(), value, text)
        }
    }

    func testRequirementRejectionsSayWhy() {
        let rejected = [
            "12.5": "requirement 12.5 is not a whole number of kg",
            "0": "requirement 0 must be a positive number of kg",
            "-3": "requirement -3 must be a positive number of kg",
            "abc": "requirement abc is not a number",
            "1,20": "requirement 1,20 is not a number with '.' as the decimal mark, as in this file (import it with --decimal-mark , if its numbers use a comma)",
            "1.200,5": "requirement 1.200,5 is not a number with '.' as the decimal mark, as in this file (import it with --decimal-mark , if its numbers use a comma)",
            "1.200": "requirement 1.200 could be 1.2 kg (a decimal point, as in this file) or 1200 kg ('.' grouping thousands); write 1200 without separators",
            "": "requirement is missing",
            "99999999999": "requirement 99999999999 is too large",
        ]
        for (text, reason) in rejected {
            XCTAssertEqual(PlanRowValidator.parseRequirement(text), .failure(PlanRowRejection(reason)), text)
        }
        // With a decimal comma (a semicolon-separated file): `.` and spaces group thousands.
        for (text, kg) in ["1.200": 1200, "2.500,00": 2500, "1 750": 1750, "1.234.567": 1_234_567, "800,0": 800] {
            XCTAssertEqual(PlanRowValidator.parseRequirement(text, decimalMark: .comma), .success(kg), text)
        }
        XCTAssertEqual(PlanRowValidator.parseRequirement("1,000", decimalMark: .comma),
                       .failure(PlanRowRejection("requirement 1,000 could be 1 kg (a decimal comma, as in this semicolon-separated file) or 1000 kg (',' grouping thousands); write 1000 without separators")))
    }

    func testDateFormats() throws {
        let dmy = PlanRowValidator(dateOrder: .dmy)
        let mdy = PlanRowValidator(dateOrder: .mdy)
        let expected = PostgresDate(year: 2026, month: 3, day: 4)!
        for text in ["2026-03-04", "2026-3-4", "4/3/2026", "04-03-2026", "4.3.2026", "4-Mar-2026", "4 mar 2026", "04-MAR-2026", "4 March 2026"] {
            XCTAssertEqual(try dmy.parseDate(text, field: .planStart).get(), expected, text)
        }
        XCTAssertEqual(try mdy.parseDate("3/4/2026", field: .planStart).get(), expected)
        XCTAssertEqual(try mdy.parseDate("2026-03-04", field: .planStart).get(), expected, "ISO ignores the order")
        XCTAssertEqual(dmy.parseDate("31/02/2026", field: .planStart), .failure(PlanRowRejection("plan_start 31/02/2026 is not a real date")))
        XCTAssertEqual(mdy.parseDate("13/01/2026", field: .planEnd), .failure(PlanRowRejection("plan_end 13/01/2026 is not a real date")))
        XCTAssertEqual(dmy.parseDate("2026/03/04", field: .planEnd),
                       .failure(PlanRowRejection("plan_end 2026/03/04 is not a date (use YYYY-MM-DD, D/M/YYYY or D-Mon-YYYY)")))
        XCTAssertEqual(dmy.parseDate("4-Foo-2026", field: .planEnd),
                       .failure(PlanRowRejection("plan_end 4-Foo-2026 is not a date (use YYYY-MM-DD, D/M/YYYY or D-Mon-YYYY)")))
        XCTAssertEqual(try dmy.parseDate("29/2/2028", field: .planStart).get(), PostgresDate(year: 2028, month: 2, day: 29))
    }

    func testWholeRowTrimsAndCollectsEveryReason() {
        let validator = PlanRowValidator()
        let row = validator.validate([.orderCode: "  ORD-1 ", .productName: " Earl Grey ", .requirement: " 1,200 ",
                                      .planStart: " 2026-02-01", .planEnd: "2026-03-01 "])
        XCTAssertEqual(try row.get(), PlanRow(orderCode: "ORD-1", productName: "Earl Grey", requirement: 1200,
                                              planStart: PostgresDate(year: 2026, month: 2, day: 1)!,
                                              planEnd: PostgresDate(year: 2026, month: 3, day: 1)!))
        XCTAssertEqual(validator.validate([.orderCode: "ORD-2", .productName: "Mint", .requirement: "5",
                                           .planStart: "2026-02-01", .planEnd: "2026-01-05"]),
                       .failure(PlanRowRejection("plan_end 2026-01-05 is before plan_start 2026-02-01")))
        XCTAssertEqual(validator.validate([.orderCode: " ", .productName: "", .requirement: "abc", .planStart: "x", .planEnd: ""]),
                       .failure(PlanRowRejection("order_code is missing; product_name is missing; requirement abc is not a number; plan_start x is not a date (use YYYY-MM-DD, D/M/YYYY or D-Mon-YYYY); plan_end is missing")))
    }

    func testHeaderAliasesAndUnits() throws {
        let header = try PlanHeader(["Order No", "Product", "Requirement (kg)", "Planned Start", "plan.end.date", "Planner"], file: "f.csv", line: 1)
        XCTAssertEqual(header.positions, [.orderCode: 0, .productName: 1, .requirement: 2, .planStart: 3, .planEnd: 4])
        XCTAssertEqual(header.extraPositions, [5])
        for names in [["ORDER_CODE", "product-name", "QTY", "start", "End Date"], ["order number", "product name", "Required Qty", "Start Date", "plan end"]] {
            XCTAssertNoThrow(try PlanHeader(names, file: "f.csv", line: 1), "\(names)")
        }
        XCTAssertThrowsError(try PlanHeader(["order_code", "product", "start", "end"], file: "plans.csv", line: 3)) { error in
            XCTAssertEqual("\(error)", #"plans.csv: line 3: missing required column requirement; header found: "order_code", "product", "start", "end""#)
        }
        XCTAssertThrowsError(try PlanHeader(["order_code", "product", "qty", "quantity", "start", "end"], file: "f.csv", line: 1)) { error in
            XCTAssertTrue("\(error)".contains(#""qty" and "quantity" both mean requirement"#), "\(error)")
        }
    }
}
