import MTPPipeline
/// Reads a planning file's bytes the way an import does (encoding, delimiter, header search, every row's
/// checks) without a database, for the fuzzer and the differential check: whatever the bytes, it returns an
/// outcome or a refusal, never crashes, and reads the same records whatever the size of the chunks it is fed.
public enum PlanReaderExercise {
    /// What reading gave.
    public struct Outcome: Equatable, Sendable {
        /// Every record as read: its line and fields; nil when the file was refused.
        public var records: [CSVRecordValue]?
        /// Why the file was refused.
        public var refusal: String?
        /// Rows the checks accepted and rejected, after the header.
        public var accepted = 0, rejected = 0
    }

    /// A record as plain values, comparable.
    public struct CSVRecordValue: Equatable, Sendable {
        /// Its first physical line.
        public var line: Int
        /// Its fields.
        public var fields: [String]
    }

    /// Reads `bytes` in chunks of `chunkSize`; with `checkRows`, also finds the header and checks every row.
    public static func read(_ bytes: [UInt8], chunkSize: Int = 1 << 20, checkRows: Bool = true) -> Outcome {
        var outcome = Outcome()
        do {
            let reader = try PlanCSVReader(bytes: bytes, chunkSize: chunkSize)
            var records: [CSVRecordValue] = []
            while let record = try reader.next() { records.append(.init(line: record.line, fields: record.fields)) }
            outcome.records = records
            guard checkRows else { return outcome }
            let again = try PlanCSVReader(bytes: bytes, chunkSize: chunkSize)
            let (header, _, _) = try PlanImporter.findHeader(again, file: again.file)
            let validator = PlanRowValidator(decimalMark: DecimalMark.of(delimiter: again.delimiter, given: nil))
            while let record = try again.next() {
                if record.isBlank { continue }
                let values = header.orderedPositions.map { $0 < record.fields.count ? record.fields[$0] : "" }
                switch validator.validate(orderCode: values[0], productName: values[1], requirement: values[2], planStart: values[3], planEnd: values[4]) {
                case .success: outcome.accepted += 1
                case .failure: outcome.rejected += 1
                }
            }
        } catch {
            outcome.refusal = "\(error)"
        }
        return outcome
    }

    /// True when reading `bytes` whole and a few bytes at a time gives the same records or the same refusal.
    public static func isChunkIndependent(_ bytes: [UInt8]) -> Bool {
        let whole = read(bytes, checkRows: false), pieces = read(bytes, chunkSize: 7, checkRows: false)
        return whole.records == pieces.records && (whole.refusal == nil) == (pieces.refusal == nil)
    }
}
