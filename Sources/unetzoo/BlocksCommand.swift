import Foundation
import UNetZoo

/// `unetzoo blocks [NAME]`: the registered blocks, or one block's parameter schema.
enum BlocksCommand {
    static let help = """
        Usage: unetzoo blocks [NAME] [--json]

        Without NAME, lists every registered block with its kind (the spec key that names it)
        and a one-line summary. With NAME, shows that block's parameters with their types,
        defaults and docs; set them in a spec under `<kind>_params:` (for example
        `block_params: {mult: 3}`), network-wide or per level for block and attention.

        Options:
          --json          Print JSON instead of text.
          -h, --help      Show this help.

        Exit codes: 0 success, 1 unknown block name, 2 usage error.
        """

    static func run(_ arguments: [String], registry: BlockRegistry = .standard) -> Int32 {
        let parsed: Arguments
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(arguments, options: [], flags: ["json", "help"])
            guard parsed.positionals.count <= 1 else {
                throw UsageError("expected at most one block NAME, got \(parsed.positionals.count): \(parsed.positionals.joined(separator: " "))")
            }
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let json = parsed.flag("json")
        guard let name = parsed.positionals.first else {
            json ? printJSON(registry.entries.map(listObject)) : printList(registry.entries)
            return ExitCode.success
        }

        let matches = registry.entries.filter { $0.name == name }
        guard !matches.isEmpty else {
            let names = Set(registry.entries.map(\.name)).sorted()
            let hint = nearestName(to: name, in: names).map { "; did you mean '\($0)'?" } ?? "."
            printError("error: unknown block '\(name)'\(hint) Registered blocks: \(names.joined(separator: ", ")).")
            return ExitCode.failure
        }
        if json {
            printJSON(matches.map(detailObject))
        } else {
            print(matches.map(detailText).joined(separator: "\n"))
        }
        return ExitCode.success
    }

    static func printList(_ entries: [BlockEntry]) {
        let nameWidth = entries.map(\.name.count).max() ?? 0
        let kindWidth = entries.map(\.slot.specKey.count).max() ?? 0
        for entry in entries {
            let name = entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let kind = entry.slot.specKey.padding(toLength: kindWidth, withPad: " ", startingAt: 0)
            print("\(kind)  \(name)  \(entry.summary)")
        }
    }

    static func detailText(_ entry: BlockEntry) -> String {
        var lines = ["\(entry.name) (\(entry.slot.specKey)): \(entry.summary)"]
        if entry.parameters.isEmpty {
            lines.append("  no parameters")
        } else {
            let keys = entry.slot == .attention ? "attention_params or mid_attention_params" : "\(entry.slot.specKey)_params"
            lines.append("  parameters (set under \(keys)):")
            let nameWidth = entry.parameters.map(\.name.count).max() ?? 0
            for parameter in entry.parameters {
                let name = parameter.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                lines.append("    \(name)  \(parameter.kind.rawValue), default \(parameter.defaultValue): \(parameter.doc)")
            }
        }
        if entry.cost == nil {
            lines.append("  no analytic cost: dry runs leave it out of the totals")
        }
        return lines.joined(separator: "\n")
    }

    static func listObject(_ entry: BlockEntry) -> [String: Any] {
        ["name": entry.name, "kind": entry.slot.specKey, "summary": entry.summary]
    }

    static func detailObject(_ entry: BlockEntry) -> [String: Any] {
        var object = listObject(entry)
        object["has_cost"] = entry.cost != nil
        object["parameters"] = entry.parameters.map { parameter -> [String: Any] in
            ["name": parameter.name, "type": parameter.kind.rawValue, "default": parameter.defaultValue.jsonValue, "doc": parameter.doc]
        }
        return object
    }

    static func printJSON(_ value: Any) {
        let data = try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }
}
