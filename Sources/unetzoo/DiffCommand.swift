import Foundation
import UNetZoo

/// `unetzoo diff A B`: what differs between two spec variants, from the analytic costs alone.
enum DiffCommand {
    static let help = """
        Usage: unetzoo diff A.yaml B.yaml [--json]

        Loads and validates both specs, then prints every resolved key whose value differs
        (defaults applied, per level, and the block parameters in force), and the parameters
        and MACs (one sample) of both per level with the change from A to B. Nothing is allocated.

        Options:
          --json          Print one JSON object with keys, parts and totals instead of tables.
          -h, --help      Show this help.

        Exit codes: 0 success (also when the specs differ), 1 invalid spec, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: Arguments
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(arguments, options: [], flags: ["json", "help"])
            guard parsed.positionals.count == 2 else {
                throw UsageError("expected two specs A and B, got \(parsed.positionals.count)")
            }
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        var specs: [UNetSpec] = []
        for path in parsed.positionals {
            do {
                specs.append(try SpecLoader().load(path: path))
            } catch let error as SpecError {
                printSpecError(error, file: path)
            } catch {
                printError("error: \(error)")
            }
        }
        guard specs.count == 2 else { return ExitCode.failure }

        let comparison = SpecComparison(specs[0], specs[1])
        if parsed.flag("json") {
            printJSON(comparison, names: parsed.positionals)
        } else {
            printTables(comparison, names: parsed.positionals)
        }
        return ExitCode.success
    }

    static func printTables(_ comparison: SpecComparison, names: [String]) {
        if comparison.keys.isEmpty {
            print("no resolved key differs")
        } else {
            let rows = comparison.keys.map { [$0.key, $0.left ?? "-", $0.right ?? "-"] }
            printAligned(["key", "A: \(names[0])", "B: \(names[1])"], rows, numberColumns: 0)
        }
        print("")

        func cells(_ left: BlockCost?, _ right: BlockCost?) -> [String] {
            let parameters = [left, right].map { $0.map { BuildCommand.grouped($0.parameters) } ?? "-" }
            let macs = [left, right].map { $0.map { DryRunReport.scaled(Double($0.macs)) } ?? "-" }
            let parameterDelta = signed((right?.parameters ?? 0) - (left?.parameters ?? 0), BuildCommand.grouped)
            let macDelta = signed((right?.macs ?? 0) - (left?.macs ?? 0)) { DryRunReport.scaled(Double($0)) }
            return [parameters[0], parameters[1], parameterDelta, macs[0], macs[1], macDelta]
        }
        let rows = comparison.parts.map { [$0.part] + cells($0.left, $0.right) }
            + [["total"] + cells(comparison.leftTotal, comparison.rightTotal)]
        printAligned(["part", "parameters A", "parameters B", "change", "MACs A", "MACs B", "change"], rows, numberColumns: 6)
    }

    static func printJSON(_ comparison: SpecComparison, names: [String]) {
        func costObject(_ cost: BlockCost?) -> Any {
            guard let cost else { return NSNull() }
            return ["parameters": cost.parameters, "macs": cost.macs, "activation_bytes": cost.activations * 4]
        }
        let object: [String: Any] = [
            "a": names[0], "b": names[1],
            "keys": comparison.keys.map { ["key": $0.key, "a": $0.left ?? NSNull(), "b": $0.right ?? NSNull()] as [String: Any] },
            "parts": comparison.parts.map { ["part": $0.part, "a": costObject($0.left), "b": costObject($0.right)] as [String: Any] },
            "total": ["a": costObject(comparison.leftTotal), "b": costObject(comparison.rightTotal)],
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    /// Formats a change with an explicit sign, "0" when there is none.
    static func signed(_ value: Int, _ format: (Int) -> String) -> String {
        if value > 0 {
            return "+" + format(value)
        }
        if value < 0 {
            return "-" + format(-value)
        }
        return "0"
    }

    /// Prints rows with the last `numberColumns` columns right-aligned.
    static func printAligned(_ header: [String], _ rows: [[String]], numberColumns: Int) {
        let all = [header] + rows
        let widths = (0..<header.count).map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return index >= header.count - numberColumns ? padding + cell : cell + padding
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        print(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        rows.forEach { print(line($0)) }
    }
}
