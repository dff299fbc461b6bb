import Foundation
import UNetZoo

/// `unetzoo validate SPEC...`: loads and checks specs without allocating a tensor.
enum ValidateCommand {
    static let help = """
        Usage: unetzoo validate [--explain] [--json] [--set key.path=value]... SPEC...

        Loads every SPEC with the files it extends, applies the overrides, and checks keys, types
        and the structure of the network (group and image-size divisibility, widths, skip
        connections, size) without allocating a tensor. Errors and warnings go to stderr as
        `file:line:col: error: key.path: message` with the source line and a caret; one line per
        SPEC on stdout says whether it is valid and its analytic parameter count.

        Options:
          --explain           Also print every resolved value, marked as given (with its file,
                              line and column) or as a default.
          --json              Print one JSON object on stdout instead: valid, and per spec its
                              file, valid, parameters, diagnostics (severity, file, line, column,
                              path, message) and, with --explain, resolved values.
          --set KEY=VALUE     Override a value after the files are merged, for example
                              --set dim=32 or --set levels.1.attention=none; the value is YAML and
                              is checked like a value in the file. Repeatable; applies to every SPEC.
          -h, --help          Show this help.

        Exit codes: 0 every SPEC is valid (warnings allowed), 1 any SPEC is invalid, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: Arguments
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(arguments, options: ["set"], flags: ["explain", "json", "help"])
            guard !parsed.positionals.isEmpty else { throw UsageError("missing SPEC") }
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let loader = SpecLoader()
        let overrides = parsed.all("set")
        let explain = parsed.flag("explain")
        var allValid = true
        var reports: [[String: Any]] = []
        for path in parsed.positionals {
            let resolution = loader.resolve(path: path, overrides: overrides)
            allValid = allValid && resolution.isValid
            if parsed.flag("json") {
                reports.append(jsonReport(path: path, resolution: resolution, explain: explain, registry: loader.registry))
            } else {
                printReport(path: path, resolution: resolution, explain: explain, registry: loader.registry)
            }
        }
        if parsed.flag("json") {
            let object: [String: Any] = ["valid": allValid, "specs": reports]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
        return allValid ? ExitCode.success : ExitCode.failure
    }

    static func printReport(path: String, resolution: SpecResolution, explain: Bool, registry: BlockRegistry) {
        if !resolution.diagnostics.isEmpty {
            printError(resolution.error.description)
        }
        let errors = resolution.diagnostics.filter { $0.severity == .error }.count
        let warnings = resolution.diagnostics.count - errors
        var status: String
        if resolution.isValid, let spec = resolution.spec {
            let parameters = UNetPlan(spec: spec, registry: registry).analyticParameterCount(registry: registry)
            status = "\(path): valid, \(BuildCommand.grouped(Int(parameters))) parameters"
        } else {
            status = "\(path): invalid, \(errors) error\(errors == 1 ? "" : "s")"
        }
        if warnings > 0 {
            status += ", \(warnings) warning\(warnings == 1 ? "" : "s")"
        }
        print(status)
        guard explain, let spec = resolution.spec else { return }
        let rows = spec.explained(given: resolution.given, registry: registry)
        let pathWidth = rows.map(\.path.count).max() ?? 0
        let valueWidth = rows.map(\.value.count).max() ?? 0
        for row in rows {
            let origin: String
            switch row.origin {
            case .given(let location): origin = "given    \(location)"
            case .defaulted(let text): origin = text == "default" ? "default" : "default  \(text)"
            }
            print("  " + padded(row.path, pathWidth) + "  " + padded(row.value, valueWidth) + "  " + origin)
        }
    }

    static func jsonReport(path: String, resolution: SpecResolution, explain: Bool, registry: BlockRegistry) -> [String: Any] {
        var report: [String: Any] = [
            "file": path,
            "valid": resolution.isValid,
            "diagnostics": resolution.diagnostics.map { diagnostic -> [String: Any] in
                [
                    "severity": diagnostic.severity.rawValue,
                    "file": diagnostic.location.file,
                    "line": diagnostic.location.line,
                    "column": diagnostic.location.column,
                    "path": diagnostic.path,
                    "message": diagnostic.message,
                ]
            },
        ]
        if let spec = resolution.spec {
            let parameters = UNetPlan(spec: spec, registry: registry).analyticParameterCount(registry: registry)
            report["parameters"] = parameters < 9e18 ? Int(parameters) as Any : parameters
            if explain {
                report["resolved"] = spec.explained(given: resolution.given, registry: registry).map { row -> [String: Any] in
                    var entry: [String: Any] = ["path": row.path, "value": row.jsonValue]
                    switch row.origin {
                    case .given(let location):
                        entry["given"] = true
                        entry["location"] = ["file": location.file, "line": location.line, "column": location.column] as [String: Any]
                    case .defaulted(let text):
                        entry["given"] = false
                        entry["default"] = text
                    }
                    return entry
                }
            }
        }
        return report
    }

    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }
}
