import Foundation

/// Draws DOT as a PNG with Graphviz's `dot`, a dependency like libxlsxwriter (`scripts/setup` installs the
/// package `graphviz`).
public struct GraphvizRenderer: Sendable {
    /// Dots per inch of the picture: sharp when printed; placed at screen size (96 dpi) in the workbook.
    public static let dpi = 150.0
    /// The largest drawing, in inches: a landscape A4 page less its margins, title and footer. A larger graph is
    /// scaled down to it by dot.
    public static let pageInches = (width: 10.4, height: 6.2)

    /// A renderer.
    public init() {}

    /// The `dot` program: `MTP_GRAPHVIZ_DOT` when set, else `dot` on PATH; a missing one is an error (exit 3)
    /// naming the package, so that work needing it is refused before it starts.
    public static func dotProgram() throws -> String {
        if let chosen = ProcessInfo.processInfo.environment["MTP_GRAPHVIZ_DOT"], !chosen.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: chosen) else {
                throw PipelineError(.operational, "MTP_GRAPHVIZ_DOT names \(chosen), which is not a program: install the package graphviz (apt-get install -y graphviz, or run scripts/setup) or correct it")
            }
            return chosen
        }
        guard let found = try? Subprocess.locate("dot") else {
            throw PipelineError(.operational, "Graphviz's dot is not installed: install the package graphviz (apt-get install -y graphviz, or run scripts/setup)")
        }
        return found
    }

    /// Refuses work that needs `dot` when it is missing.
    public static func requireDot() throws {
        _ = try dotProgram()
    }

    /// The PNG of `genealogy`, drawn left to right or top to bottom, whichever fills a landscape page better.
    public func png(_ genealogy: Genealogy) throws -> [UInt8] {
        let page = Self.pageInches
        let fill = { (dot: String) throws -> Double in
            let (width, height) = try self.size(dot)
            return min(page.width / max(width, 0.01), page.height / max(height, 0.01))
        }
        let across = genealogy.dot(leftToRight: true), down = genealogy.dot(leftToRight: false)
        let downFill = try fill(down), acrossFill = try fill(across)
        return try png(downFill > acrossFill * 1.15 ? down : across)
    }

    /// The natural size of a drawing of `dot`, in inches (dot's plain output starts `graph SCALE WIDTH HEIGHT`).
    func size(_ dot: String) throws -> (Double, Double) {
        let outcome = try Subprocess.run(try Self.dotProgram(), ["-Tplain"], input: Data(dot.utf8))
        let fields = outcome.output.split(separator: "\n").first?.split(separator: " ") ?? []
        guard outcome.succeeded, fields.count >= 4, fields[0] == "graph", let width = Double(fields[2]), let height = Double(fields[3]) else {
            throw PipelineError(.operational, "Graphviz's dot could not lay out the genealogy (exit \(outcome.status)): \(outcome.output.prefix(500))")
        }
        return (width, height)
    }

    /// The PNG of `dot`, at most a landscape page's size.
    public func png(_ dot: String) throws -> [UInt8] {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-genealogy-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: output) }
        let outcome = try Subprocess.run(try Self.dotProgram(), [
            "-Tpng", "-Gdpi=\(Int(Self.dpi))", "-Gsize=\(Self.pageInches.width),\(Self.pageInches.height)", "-o", output.path,
        ], input: Data(dot.utf8))
        guard outcome.succeeded, let data = FileManager.default.contents(atPath: output.path), !data.isEmpty else {
            throw PipelineError(.operational, "Graphviz's dot could not draw the genealogy (exit \(outcome.status)): \(outcome.output.prefix(500))")
        }
        return [UInt8](data)
    }
}
