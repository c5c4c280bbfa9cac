import Foundation
@testable import MTPPipeline
import TestSupport
import XCTest

/// `deploy/systemd/`: units systemd accepts (`systemd-analyze verify`, silent), with the directives operators
/// expect of a batch job: a user of its own, URLs from an environment file, catch-up and spread timers, an alert
/// on failure, hardening that keeps it to its folders.
final class SystemdUnitsTests: XCTestCase {
    static let directory = TestServer.projectRoot.appendingPathComponent("deploy/systemd")
    static let installedBinary = "/opt/mtp-etl/.build/release/mtp-etl"

    /// A unit file as (section, key, value) lines.
    static func directives(_ name: String) throws -> [(section: String, key: String, value: String)] {
        var section = ""
        var lines: [(String, String, String)] = []
        for raw in try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") { section = String(line.dropFirst().dropLast()); continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            lines.append((section, String(line[..<equals]), String(line[line.index(after: equals)...])))
        }
        return lines
    }

    static func values(_ name: String, _ key: String) throws -> [String] {
        try directives(name).filter { $0.key == key }.map(\.value)
    }

    func testSystemdAcceptsEveryUnitWithoutAWord() throws {
        let work = try TemporaryDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }
        XCTAssertEqual(Set(names), ["mtp-etl-run.service", "mtp-etl-run.timer", "mtp-etl-import.service", "mtp-etl-import.timer", "mtp-etl-failure@.service"])
        for name in names {
            let text = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            try text.replacingOccurrences(of: Self.installedBinary, with: CommandLineRun.binary.path)
                .write(to: work.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let verify = try Subprocess.run(Subprocess.locate("systemd-analyze"),
                                        ["verify", "--man=no"] + names.sorted().map { work.url.appendingPathComponent($0).path })
        XCTAssertTrue(verify.succeeded, verify.output)
        XCTAssertEqual(verify.output.trimmingCharacters(in: .whitespacesAndNewlines), "", "no warning either (systemd ignores a bad value with one)")

        for timer in ["mtp-etl-run.timer", "mtp-etl-import.timer"] {
            for calendar in try Self.values(timer, "OnCalendar") {
                let parsed = try Subprocess.run(Subprocess.locate("systemd-analyze"), ["calendar", calendar])
                XCTAssertTrue(parsed.succeeded, "\(timer): \(calendar): \(parsed.output)")
            }
        }
    }

    func testTheServicesRunAsAJobOfTheirOwnKeptToTheirFolders() throws {
        for service in ["mtp-etl-run.service", "mtp-etl-import.service"] {
            let all = try Self.directives(service)
            func value(_ key: String) -> String? { all.last { $0.key == key }?.value }
            XCTAssertEqual(value("Type"), "oneshot", service)
            XCTAssertEqual(value("User"), "mtp", "a dedicated user: \(service)")
            XCTAssertEqual(value("EnvironmentFile"), "/etc/mtp-etl/mtp-etl.env", service)
            XCTAssertEqual(value("OnFailure"), "mtp-etl-failure@%n.service", service)
            for (key, expected) in [("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"), ("ProtectHome", "yes")] {
                XCTAssertEqual(value(key), expected, "\(service): \(key)")
            }
            let writable = Set((value("ReadWritePaths") ?? "").split(separator: " ").map(String.init))
            XCTAssertTrue(writable.isSuperset(of: ["/srv/mtp/inbox", "/srv/mtp/archive", "/srv/mtp/replies"]), "\(service): \(writable)")
            let text = try String(contentsOf: Self.directory.appendingPathComponent(service), encoding: .utf8)
            XCTAssertFalse(text.contains("postgresql://") || text.contains("password=") || text.contains("MTP_MANAGER_URL="),
                           "no database URL or password in the unit: \(service)")
            XCTAssertTrue(value("LoadCredential")?.hasPrefix("pgpass:") == true, "passwords as a credential: \(service)")
            XCTAssertEqual(value("Environment"), "PGPASSFILE=%d/pgpass", service)

            // Every option the unit passes is one the command takes.
            let command = try XCTUnwrap(value("ExecStart")).split(separator: " ").map(String.init)
            XCTAssertEqual(command.first, Self.installedBinary)
            let help = try CommandLineRun.run([command[1], "--help"])
            for option in command.dropFirst(2) where option.hasPrefix("--") {
                XCTAssertTrue(help.stdout.contains(option), "\(service): \(command[1]) takes \(option)")
            }
        }
        XCTAssertTrue(try Self.values("mtp-etl-run.service", "ReadWritePaths").joined().contains("/srv/mtp/reports"), "the workbook's folder")
        let runSuccess = Set(try Self.values("mtp-etl-run.service", "SuccessExitStatus").joined(separator: " ").split(separator: " "))
        XCTAssertEqual(runSuccess, ["4"], "a failed run (2, 3, 5) is a failure; busy is not")
        let importSuccess = Set(try Self.values("mtp-etl-import.service", "SuccessExitStatus").joined(separator: " ").split(separator: " "))
        XCTAssertTrue(importSuccess.contains("4"), "the frequent import's busy exit is not a failure")
        XCTAssertFalse(importSuccess.contains("3") || importSuccess.contains("5"), "an operational failure of the import is one")
        XCTAssertTrue(try Self.values("mtp-etl-failure@.service", "ExecStart").first?.contains("%i") == true, "the alert names the failed unit")
    }

    func testTheTimersCatchUpAndSpreadTheirStarts() throws {
        for (timer, service) in [("mtp-etl-run.timer", "mtp-etl-run.service"), ("mtp-etl-import.timer", "mtp-etl-import.service")] {
            XCTAssertEqual(try Self.values(timer, "Persistent"), ["true"], "\(timer): a start missed while the machine was off runs at boot")
            XCTAssertEqual(try Self.values(timer, "RandomizedDelaySec").count, 1, timer)
            XCTAssertEqual(try Self.values(timer, "Unit"), [service], timer)
            XCTAssertEqual(try Self.values(timer, "WantedBy"), ["timers.target"], timer)
        }
        XCTAssertEqual(try Self.values("mtp-etl-run.timer", "OnCalendar"), ["*-*-* 05:30:00 Asia/Colombo"])
        XCTAssertEqual(try Self.values("mtp-etl-import.timer", "OnCalendar"), ["Mon..Sat *-*-* 07..18:00/10:00 Asia/Colombo"])
    }
}
