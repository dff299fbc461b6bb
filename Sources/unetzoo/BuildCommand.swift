import Foundation
import Torch
import UNetZoo

/// `unetzoo build SPEC`: the module table, then one timed forward pass.
enum BuildCommand {
    static let help = """
        Usage: unetzoo build SPEC [--batch N] [--json] [--dry-run] [--diagram FILE.svg] [--seed N]
                              [--device cpu|cuda[:N]] [--threads N] [--set key.path=value]...
                              [--save-weights W.safetensors]

        Loads and validates SPEC, builds the U-Net on libtorch, prints one row per module
        (path, block kind, output shape, parameters) with the total, then runs one forward pass
        on N(0, 1) images with random integer timesteps and prints the output shape and its time.

        Options:
          --batch N       Batch size of the forward pass (default 1).
          --json          Print one JSON object instead of the table: parameters, output_shape,
                          input_shape, forward_seconds, modules.
          --dry-run       Allocate nothing and run nothing: print shapes, parameters, MACs and
                          activation memory per module and per level from the analytic costs.
                          With --json: parameters, macs, activation_bytes, modules and parts.
          --diagram FILE  Also write an SVG picture of the U-Net: levels, resolutions, channels,
                          blocks, attention, resamplers and skip connections.
          --seed N        Seed of the weights and the input (default 0).
          --device D      cpu (default), cuda or cuda:N.
          --threads N     CPU threads for libtorch (default: libtorch's choice).
          --set K=V       Override a spec value, as in `unetzoo validate` (repeatable).
          --save-weights W
                          Write the freshly initialised parameters to W (safetensors, names as
                          in the reference PyTorch state_dict).
          -h, --help      Show this help.

        Exit codes: 0 success, 1 invalid spec (diagnostics on stderr) or failed run, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: Arguments
        let batch: Int
        let seed: Int
        let device: Device
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(arguments, options: ["batch", "seed", "device", "threads", "diagram", "set", "save-weights"], flags: ["json", "help", "dry-run"])
            try parsed.requireOnePositional("SPEC")
            batch = try parsed.positiveInt("batch", default: 1)
            seed = try parsed.nonNegativeInt("seed", default: 0)
            device = try parseDevice(parsed.value("device"))
            if parsed.flag("dry-run") && parsed.value("save-weights") != nil {
                throw UsageError("--save-weights needs built weights, so it cannot be combined with --dry-run")
            }
            if let diagram = parsed.value("diagram"), !diagram.lowercased().hasSuffix(".svg") {
                throw UsageError("option '--diagram' writes SVG, so its file name must end in .svg, got '\(diagram)'")
            }
            try parsed.applyThreadCount()
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let path = parsed.positionals[0]
        do {
            let spec = try SpecLoader().load(path: path, overrides: parsed.all("set"))
            if let diagramPath = parsed.value("diagram") {
                try DryRunReport.writeDiagram(spec, to: diagramPath)
            }
            if parsed.flag("dry-run") {
                let profile = Profiler.profile(UNetPlan(spec: spec), batch: batch)
                parsed.flag("json") ? DryRunReport.printJSON(profile, spec: spec) : DryRunReport.printTable(profile, spec: spec)
                return ExitCode.success
            }
            try checkAvailable(device)
            try Torch.manualSeed(UInt64(seed))
            let model = try UNetBuilder(device: device).build(spec)
            if let weightsPath = parsed.value("save-weights") {
                try model.saveWeights(to: weightsPath, metadata: ["format": "pt", "spec": spec.name, "seed": "\(seed)"])
            }
            let result = try model.timedForward(batch: batch, device: device)
            let rows = model.summary(batch: batch)
            if parsed.flag("json") {
                printJSON(spec: spec, model: model, rows: rows, result: result, device: device)
            } else {
                printTable(spec: spec, model: model, rows: rows, result: result, device: device)
            }
            return ExitCode.success
        } catch let error as SpecError {
            printSpecError(error, file: path)
            return ExitCode.failure
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }

    /// Parses `--device`; a malformed value is a usage error.
    static func parseDevice(_ text: String?) throws -> Device {
        guard let text else { return .cpu }
        guard let device = Device(parsing: text) else {
            throw UsageError("option '--device' expects cpu, cuda or cuda:N, got '\(text)'")
        }
        return device
    }

    /// Throws when a well-formed device does not exist on this machine: a failed run (exit 1), not a usage error.
    static func checkAvailable(_ device: Device) throws {
        if case .cuda(let index) = device, index >= Torch.cudaDeviceCount {
            throw CommandFailure("device \(device) is not available: libtorch sees \(Torch.cudaDeviceCount) CUDA device(s); use --device cpu")
        }
    }

    static func printTable(spec: UNetSpec, model: UNet, rows: [ModuleSummary], result: ForwardResult, device: Device) {
        let header = ["module", "kind", "output shape", "parameters"]
        let body = rows.map { [$0.path, $0.kind, shapeText($0.outputShape), grouped($0.parameters)] }
        let widths = (0..<header.count).map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? String(repeating: " ", count: widths[index] - cell.count) + cell
                    : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        print("\(spec.name): image \(spec.imageSize), channels \(spec.channels), dim \(spec.dim), dim_mults \(spec.dimMults), groups \(spec.resnetBlockGroups)")
        print(line(header))
        print(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        body.forEach { print(line($0)) }
        print(String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        print("total parameters: \(grouped(model.parameterCount))")
        print("forward on \(device): \(shapeText(result.inputShape)) -> \(shapeText(result.outputShape)) in \(String(format: "%.3f", result.seconds)) s")
    }

    static func printJSON(spec: UNetSpec, model: UNet, rows: [ModuleSummary], result: ForwardResult, device: Device) {
        let object: [String: Any] = [
            "name": spec.name,
            "parameters": model.parameterCount,
            "input_shape": result.inputShape,
            "output_shape": result.outputShape,
            "forward_seconds": result.seconds,
            "device": device.description,
            "modules": rows.map { ["path": $0.path, "kind": $0.kind, "output_shape": $0.outputShape, "parameters": $0.parameters] as [String: Any] },
        ]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        print(String(decoding: data, as: UTF8.self))
    }

    static func shapeText(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }

    /// 119767315 → "119,767,315".
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 {
                text.append(",")
            }
            text.append(digit)
        }
        return text
    }
}
