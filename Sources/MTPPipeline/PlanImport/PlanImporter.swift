import Hashing
import Foundation
import Postgres

/// Imports planning CSV files: each file is staged into `order_plan_raw` with its lineage and normalised into
/// `order_plan` in one transaction, so that an import is never half applied.
public struct PlanImporter: Sendable {
    /// How files are read and applied.
    public var options: PlanImportOptions
    /// The project whose `sql/import` normalises (nil: the one found from the working directory, `MTP_HOME` or
    /// the binary).
    public var files: ProjectFiles?
    /// The most rejected rows a result lists.
    public static let listedRejects = 1_000

    /// An importer with `options`.
    public init(options: PlanImportOptions, files: ProjectFiles? = nil) {
        self.options = options
        self.files = files
    }

    /// The extensions of the planning files a folder holds (any case): Excel's CSV, its "Unicode Text" (.txt) and
    /// tab-separated files.
    public static let extensions: Set<String> = ["csv", "txt", "tsv"]

    /// What `paths` hold, a folder's files modified less than the options' settle time before `now` left for the
    /// next run (perhaps still being copied in). Files named one by one are always ready.
    public func expand(_ paths: [String], now: Date) -> PlanFileListing {
        PlanFileListing.of(paths, extensions: Self.extensions, settleSeconds: options.settleSeconds, now: now)
    }

    /// Decides the listing's files modified in the future: those seen unchanged for the settle time (by
    /// `mtp.inbox_sighting`) become ready, the others not settled, saying why.
    public func settleFutureFiles(_ listing: inout PlanFileListing, connection: Connection, now: Date) throws {
        guard !listing.future.isEmpty else { return }
        let ready = Set(try connection.query(try SQLStatements.of("import", files: files).text("future_files"), [
            listing.future.map(\.file.path), listing.future.map { Int($0.state.size) }, listing.future.map(\.state.modified),
            now, options.settleSeconds,
        ]).rows.map { try $0.decode(String.self, 0) })
        for (file, state) in listing.future {
            if ready.contains(file.path) {
                listing.ready.append(file)
            } else {
                listing.notSettled.append(PlanImportResult(file: file.path, status: .notSettled, message: """
                    modified in the future (\(Self.iso(state.modified)); the clock of the machine that wrote it is ahead?): \
                    imported once unchanged for \(Int(options.settleSeconds)) s
                    """))
            }
        }
        listing.ready.sort { $0.path < $1.path }
        listing.future = []
    }

    /// Records in the ledger (`mtp.inbox_skip`) the inbox entries a listing skipped, as seen at the moment the
    /// import stands for.
    public func recordSkipped(_ listing: PlanFileListing, connection: Connection) throws {
        guard !listing.skipped.isEmpty else { return }
        try connection.query(try SQLStatements.of("import", files: files).text("inbox_skips"),
                             [listing.skipped.map(\.file), listing.skipped.map { $0.entryKind ?? "special file" }, options.receivedAt])
    }

    /// Imports each file in turn. A refused file is reported and the next one is tried; an operational error stops.
    public func importFiles(_ files: [URL], connection: Connection) throws -> [PlanImportResult] {
        try files.map { file in
            var result: PlanImportResult
            do {
                return try importFile(file, connection: connection)
            } catch let refusal as PlanFileRefusal {
                result = refusal.result
            } catch let error as PipelineError where error.kind == .refused {
                result = PlanImportResult(file: file.path, status: .refused, message: error.message)
            } catch let error as PostgresError {
                throw error
            } catch let error as PipelineError {
                throw error
            } catch {
                // Anything else reading the file (it vanished, a read failed): that file is refused, the others go on.
                result = PlanImportResult(file: file.path, status: .refused, message: "cannot be read: \(FileKind.reason(error))")
            }
            // A refused file's planner gets a reply saying why (one left for the next run is not refused).
            if let directory = options.rejectsOut, result.status == .refused {
                do {
                    let text = try PlanReplyFile.writeRefusal(file: file, reason: result.message ?? "refused", into: directory).path
                    result.replyFile = result.replyFile.map { "\($0) and \(text)" } ?? text
                } catch {
                    result.replyError = "\(error)"
                }
            }
            return result
        }
    }

    /// Imports one file (stage and normalise in one transaction), or skips it when already imported.
    public func importFile(_ file: URL, connection: Connection) throws -> PlanImportResult {
        let before = try FileState(file)
        let fingerprint = try FileFingerprint(file)
        if !options.force, let earlier = try connection.query("""
            select import_id, finished_at from mtp.plan_import
             where sha256 = $1 and outcome <> 'running' order by import_id desc limit 1
            """, [fingerprint.sha256]).first {
            let id = try earlier.decode(Int64.self, 0)
            let when = try earlier.decode(Date?.self, 1).map { " on \(PlanImporter.iso($0))" } ?? ""
            return PlanImportResult(file: file.path, status: .skipped, importID: id,
                                    message: "already imported as import \(id)\(when) (same sha256); use --force to import it again")
        }

        let reader = try PlanCSVReader(file: file, encoding: options.encoding, delimiter: options.delimiter)
        let (header, headerLine, firstLine) = try Self.findHeader(reader, file: file)
        let decimalMark = DecimalMark.of(delimiter: reader.delimiter, given: options.decimalMark)

        var result = PlanImportResult(file: file.path, status: .imported)
        if headerLine > firstLine { result.linesAboveHeader = firstLine...(headerLine - 1) }
        try connection.withTransaction { connection in
            // Imports run one at a time: a second importer waits here rather than interleaving.
            try connection.query("select pg_advisory_xact_lock(hashtext('mtp-etl import-plans'))")
            let importID = try connection.query("""
                insert into mtp.plan_import (file_name, file_path, file_size, sha256, encoding, delimiter, date_order, header, forced,
                                             received_at, decimal_mark, header_line)
                values ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, coalesce($10, clock_timestamp()), $11, $12) returning import_id
                """, [file.lastPathComponent, file.path, fingerprint.size, fingerprint.sha256, reader.encoding.rawValue,
                      PlanImporter.delimiterName(reader.delimiter), options.dateOrder.rawValue, header.names, options.force,
                      options.receivedAt, decimalMark.rawValue, headerLine])
                .first!.decode(Int64.self, 0)
            result.importID = importID

            let stager = PlanRowStager(importID: importID, fileName: file.lastPathComponent, header: header,
                                       validator: PlanRowValidator(dateOrder: options.dateOrder, decimalMark: decimalMark))
            // Three threads: the file parsed ahead, rows checked and staged, chunks sent to the server.
            let records = RecordPrefetch(reader)
            defer { records.stop() }
            try connection.copyIn(PlanRowStager.copyStatement) { writer in
                try CopyPipeline.run(into: writer) { sink in
                    while let record = try records.next() {
                        try stager.stage(record, to: sink)
                    }
                }
            }
            result.rowsRead = stager.rowsRead
            result.blank = records.blankRecords

            let counts = try PlanNormaliser(importID: importID, sql: try SQLStatements.of("import", files: files)).run(connection, stagedRows: stager.rowsRead, stagedRejects: stager.rowsRejected,
                                                                  sampleCodes: stager.sampleCodes)
            result.imported = counts.imported
            result.inserted = counts.inserted
            result.updated = counts.updated
            result.rejected = counts.rejected
            result.skipped = counts.skipped
            // Listing rejects reads the whole import: only when there are some.
            result.rejects = result.rejected == 0 ? [] : try connection.query("""
                select source_line, reject_reason from public.order_plan_raw
                 where import_id = $1 and reject_reason is not null order by source_line limit $2
                """, [importID, Self.listedRejects]).rows.map { try .init(line: $0.decode(Int.self, 0), reason: $0.decode(String.self, 1)) }

            if result.rowsRead > 0, Double(result.rejected) / Double(result.rowsRead) > options.maxRejectRate {
                var refused = result
                refused.status = .refused
                refused.importID = nil
                refused.imported = 0
                refused.inserted = 0
                refused.updated = 0
                refused.message = """
                    \(InputText.shown(file.path)): \(result.rejected) of \(result.rowsRead) rows rejected \
                    (\(PlanImporter.percent(Double(result.rejected) / Double(result.rowsRead))), more than --max-reject-rate \
                    \(PlanImporter.percent(options.maxRejectRate))); nothing imported from this file
                    """
                if let directory = options.rejectsOut {
                    // The rows to fix, read before the rollback takes them; the refusal's text follows.
                    do {
                        refused.replyFile = try PlanReplyFile.writeRejects(importID: importID, file: file, header: header, encoding: reader.encoding,
                                                                           delimiter: reader.delimiter, connection: connection, into: directory,
                                                                           refused: true).path
                    } catch {
                        refused.replyError = "\(error)"
                    }
                }
                throw PlanFileRefusal(result: refused) // rolls the whole file back
            }
            // A file still being written when the import began: what was read is not what the planner saved.
            if let change = try FileState(file).change(since: before) {
                var refused = PlanImportResult(file: file.path, status: .refused)
                refused.message = "\(InputText.shown(file.path)): \(change) while it was being imported; nothing imported from it, it is left for the next run"
                throw PlanFileRefusal(result: refused) // rolls the whole file back
            }
            try connection.query("""
                update mtp.plan_import
                   set finished_at = clock_timestamp(), rows_read = $2, rows_imported = $3, rows_inserted = $4,
                       rows_updated = $5, rows_rejected = $6, rows_skipped = $7, rows_blank = $8,
                       outcome = case when $6 > 0 then 'imported_with_rejects' else 'imported' end
                 where import_id = $1
                """, [importID, result.rowsRead, result.imported, result.inserted, result.updated, result.rejected, result.skipped, result.blank])
        }
        if let directory = options.rejectsOut, result.rejected > 0, let importID = result.importID {
            // The import is committed: its rejected rows back to the planner, as their own file.
            do {
                result.replyFile = try PlanReplyFile.writeRejects(importID: importID, file: file, header: header, encoding: reader.encoding,
                                                                  delimiter: reader.delimiter, connection: connection, into: directory).path
            } catch {
                result.replyError = "\(error)"
            }
        }
        if let archive = options.archive {
            // The import is committed: a file that cannot be moved stays imported (a later import skips it by its
            // sha256); the command goes on and ends with exit 3, saying so.
            do {
                result.archivedTo = try PlanImporter.archive(file, into: archive).path
            } catch {
                result.archiveError = "\(error)"
            }
        }
        return result
    }

    /// The header: the first of the first ``PlanCSVReader/detectionLines`` non-blank lines that names every
    /// required column (a report export has title lines above it); its line, and the first non-blank line's.
    /// None: the file is refused with what line 1 holds.
    public static func findHeader(_ reader: PlanCSVReader, file: URL) throws -> (PlanHeader, line: Int, firstLine: Int) {
        var firstRefusal: (any Error)?
        var firstLine: Int?
        var seen = 0
        while seen < PlanCSVReader.detectionLines, let record = try reader.next() {
            guard !record.isBlank else { continue }
            seen += 1
            if firstLine == nil { firstLine = record.line }
            do {
                return (try PlanHeader(record.fields, file: InputText.shown(file.path), line: record.line), record.line, firstLine!)
            } catch {
                if firstRefusal == nil { firstRefusal = error }
            }
        }
        guard let firstRefusal else {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): line 1: the file is empty (no bytes, or blank lines only)")
        }
        throw firstRefusal
    }

    /// Moves `file` into `directory`, adding `-1`, `-2`, ... before the extension rather than overwriting.
    static func archive(_ file: URL, into directory: URL) throws -> URL {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let stem = file.deletingPathExtension().lastPathComponent
            let ext = file.pathExtension
            var target = directory.appendingPathComponent(file.lastPathComponent)
            var suffix = 1
            while FileManager.default.fileExists(atPath: target.path) {
                target = directory.appendingPathComponent("\(stem)-\(suffix)" + (ext.isEmpty ? "" : ".\(ext)"))
                suffix += 1
            }
            try FileManager.default.moveItem(at: file, to: target)
            return target
        } catch {
            let reason = FileKind.whyNoFolder(at: directory) ?? FileKind.reason(error)
            throw PipelineError(.operational, "imported, but not moved to the archive \(directory.path): \(reason); it stays in the inbox (later imports skip it)")
        }
    }

    static func delimiterName(_ byte: UInt8) -> String {
        byte == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(byte))
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.1f%%", share * 100)
    }

    static func iso(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}

/// A file refused after staging began (the reject rate): carries what was found so it can still be reported.
struct PlanFileRefusal: Error {
    var result: PlanImportResult
}

/// A file's size and SHA-256, read in chunks.
struct FileFingerprint {
    var size: Int64
    var sha256: String

    init(_ file: URL) throws {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): cannot be read: \(FileKind.reason(error))")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        self.size = size
        sha256 = hasher.finalize().hexString
    }
}

/// A file's size and modification time: whether it changed while it was read.
struct FileState: Equatable {
    var size: Int64
    var modified: Date

    init(_ file: URL) throws {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            modified = attributes[.modificationDate] as? Date ?? .distantPast
        } catch {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): cannot be read: \(FileKind.reason(error))")
        }
    }

    /// What changed since `earlier`, in words; nil when nothing did.
    func change(since earlier: FileState) -> String? {
        if size != earlier.size { return "its size changed from \(earlier.size) to \(size) bytes" }
        if modified != earlier.modified { return "it was modified" }
        return nil
    }
}
