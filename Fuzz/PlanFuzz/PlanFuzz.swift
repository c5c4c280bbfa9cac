import Foundation
import MTPDevelopment
import MTPPipeline

// The planning file reader under libFuzzer (`scripts/fuzz-plans`, built with `-sanitize=fuzzer` and FUZZING):
// every input is read whole and seven bytes at a time, which must agree, and its rows checked; a disagreement
// traps, so the fuzzer keeps the input. Built normally, the same program replays files (`PlanFuzz FILE...`,
// exit 1 on a disagreement) or prints a file's records as JSON for the differential check (`--dump FILE`).

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPlanReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    precondition(PlanReaderExercise.isChunkIndependent(bytes), "records differ with the chunk size")
    _ = PlanReaderExercise.read(bytes)
    return 0
}
#else
@main
struct PlanFuzz {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--dump" {
            arguments.removeFirst()
            for path in arguments { print(try dump(path)) }
            return
        }
        var failed = 0
        for path in arguments {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            if !PlanReaderExercise.isChunkIndependent(bytes) {
                FileHandle.standardError.write(Data("\(path): records differ with the chunk size\n".utf8))
                failed += 1
            }
            _ = PlanReaderExercise.read(bytes)
        }
        print("\(arguments.count) inputs replayed, \(failed) disagreements")
        if failed > 0 { exit(1) }
    }

    /// `{"delimiter": ",", "records": [["a", "b"], ...]}` or `{"refused": "..."}`.
    static func dump(_ path: String) throws -> String {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let outcome = PlanReaderExercise.read(bytes, checkRows: false)
        let object: [String: Any]
        if let records = outcome.records {
            object = ["records": records.map(\.fields)]
        } else {
            object = ["refused": outcome.refusal ?? ""]
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
#endif
