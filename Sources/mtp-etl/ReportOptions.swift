import ArgumentParser
import MTPPipeline

/// Options shared by the commands that write workbooks.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("timezone"), help: "Time zone time stamps are shown in (named in the headers), e.g. Asia/Colombo.")
    var timeZone = ReportSession.defaultTimeZone
}
