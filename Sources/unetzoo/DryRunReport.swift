import Foundation
import UNetZoo

/// Renders the analytic profile of `unetzoo build SPEC --dry-run`, as a table or as JSON.
enum DryRunReport {
    static func printTable(_ profile: UNetProfile, spec: UNetSpec) {
        print("\(spec.name): image \(spec.imageSize), channels \(spec.channels), dim \(spec.dim), dim_mults \(spec.dimMults), groups \(spec.resnetBlockGroups), batch \(profile.batch)")
        print("analytic profile, nothing allocated; MACs and activation memory (float32) for the whole batch\n")

        let header = ["module", "kind", "output shape", "parameters", "MACs", "activations"]
        let body = profile.modules.map { module in
            [module.path, module.kind, BuildCommand.shapeText(module.outputShape)] + costCells(module.cost, profile)
        }
        printAligned(header, body)

        print("")
        let partRows = profile.parts.map { [$0.part] + costCells($0.cost, profile) }
        let total = ["total"] + costCells(profile.total, profile)
        printAligned(["part", "parameters", "MACs", "activations"], partRows + [total])

        let missing = profile.modulesWithoutCost
        if !missing.isEmpty {
            print("\nnote: \(missing.count) module(s) have no registered cost and are left out of the totals: \(missing.joined(separator: ", "))")
        }
    }

    static func printJSON(_ profile: UNetProfile, spec: UNetSpec) {
        func costObject(_ cost: BlockCost?) -> [String: Any] {
            guard let cost else { return ["parameters": NSNull(), "macs": NSNull(), "activation_bytes": NSNull()] }
            return [
                "parameters": cost.parameters, "macs": cost.macs * profile.batch,
                "activation_bytes": profile.activationBytes(cost),
            ]
        }
        let total = profile.total
        var object = costObject(total)
        object["name"] = spec.name
        object["batch"] = profile.batch
        object["input_shape"] = [profile.batch, spec.channels, spec.imageSize.height, spec.imageSize.width]
        object["output_shape"] = profile.modules.last?.outputShape ?? []
        object["modules_without_cost"] = profile.modulesWithoutCost
        object["modules"] = profile.modules.map { module in
            costObject(module.cost).merging([
                "path": module.path, "kind": module.kind, "part": module.part, "output_shape": module.outputShape,
            ]) { $1 }
        }
        object["parts"] = profile.parts.map { costObject($0.cost).merging(["part": $0.part]) { $1 } }
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Writes the SVG picture of a spec's plan.
    ///
    /// - Throws: `DiagramWriteError` naming the path when the file cannot be written.
    static func writeDiagram(_ spec: UNetSpec, to path: String) throws {
        do {
            try UNetDiagram(plan: UNetPlan(spec: spec)).svg().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw DiagramWriteError(path: path, reason: error.localizedDescription)
        }
    }

    private static func costCells(_ cost: BlockCost?, _ profile: UNetProfile) -> [String] {
        guard let cost else { return ["?", "?", "?"] }
        return [BuildCommand.grouped(cost.parameters), scaled(Double(cost.macs * profile.batch)), bytes(profile.activationBytes(cost))]
    }

    /// 1234567 → "1.23 M".
    static func scaled(_ value: Double) -> String {
        let units = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
        for (size, unit) in units where value >= size {
            return String(format: "%.2f %@", value / size, unit)
        }
        return String(format: "%.0f", value)
    }

    /// 1536 → "1.5 KiB".
    static func bytes(_ value: Int) -> String {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        for (size, unit) in units where value >= size {
            return String(format: "%.1f %@", Double(value) / Double(size), unit)
        }
        return "\(value) B"
    }

    /// Prints rows with the first columns left-aligned and number columns right-aligned.
    private static func printAligned(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        let numberColumns = header.count - 3
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index >= numberColumns ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        print(line(header))
        print(rule)
        rows.forEach { print(line($0)) }
    }
}

/// A diagram file that could not be written.
struct DiagramWriteError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String {
        "failed to write the diagram to '\(path)': \(reason) Check that the folder exists and is writable."
    }
}
