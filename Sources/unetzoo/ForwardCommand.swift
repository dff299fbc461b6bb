import Foundation
import Torch
import UNetZoo

/// `unetzoo forward SPEC --weights W --input IN --output OUT`: one forward pass on given tensors,
/// and optionally one backward pass, for checking unetzoo against other implementations.
enum ForwardCommand {
    static let help = """
        Usage: unetzoo forward SPEC --weights W.safetensors --input IN.safetensors --output OUT.safetensors
                               [--grad-output G.safetensors] [--device cpu|cuda[:N]] [--threads N]
                               [--set key.path=value]...

        Builds the U-Net of SPEC, loads its parameters from W (names as in the reference PyTorch
        state_dict), runs one forward pass on the tensors of IN and writes the prediction to OUT.

        IN holds x (float32, [B, channels, H, W] with the spec's channels and image size) and
        t (int64, [B] timesteps), and optionally target (float32, the output's shape).
        OUT receives y (float32, [B, out_dim, H, W]).

        Options:
          --weights W         Parameters to load; every parameter must be present with its shape.
          --input IN          The input tensors.
          --output OUT        Where to write y (and loss with --grad-output).
          --grad-output G     Also run one backward pass of the loss mean((y - target)^2), or
                              mean(y^2) when IN has no target, and write the gradient of every
                              parameter to G under the parameter's name, and the loss to OUT as loss.
          --device D          cpu (default), cuda or cuda:N.
          --threads N         CPU threads for libtorch (default: libtorch's choice).
          --set K=V           Override a spec value, as in `unetzoo validate` (repeatable).
          -h, --help          Show this help.

        Exit codes: 0 success, 1 invalid spec, unreadable or mismatched files, or failed run, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: Arguments
        let device: Device
        let files: (weights: String, input: String, output: String)
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(
                arguments, options: ["weights", "input", "output", "grad-output", "device", "threads", "set"], flags: ["help"])
            try parsed.requireOnePositional("SPEC")
            func required(_ name: String) throws -> String {
                guard let value = parsed.value(name) else { throw UsageError("missing option '--\(name)'") }
                return value
            }
            files = (try required("weights"), try required("input"), try required("output"))
            device = try BuildCommand.parseDevice(parsed.value("device"))
            try parsed.applyThreadCount()
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let specPath = parsed.positionals[0]
        do {
            let spec = try SpecLoader().load(path: specPath, overrides: parsed.all("set"))
            try Torch.manualSeed(0)
            try BuildCommand.checkAvailable(device)
            let model = try UNetBuilder(device: device).build(spec)
            try model.loadWeights(from: files.weights)
            let input = try ForwardInput(path: files.input, spec: spec, device: device)

            guard let gradientPath = parsed.value("grad-output") else {
                let y = try withoutGrad { try model(input.x, input.t) }
                try Safetensors.write([("y", y)], to: files.output)
                return ExitCode.success
            }

            let y = try model(input.x, input.t)
            let loss = try input.target.map { try Loss.mse(y, $0) } ?? (y * y).mean()
            try loss.backward()
            let gradients = try model.namedParameters.map { name, parameter in
                (name: name, tensor: try parameter.grad() ?? Tensor.zeros(parameter.shape, device: parameter.device))
            }
            try Safetensors.write([("y", try y.detached()), ("loss", try loss.detached())], to: files.output)
            try Safetensors.write(gradients, to: gradientPath)
            return ExitCode.success
        } catch let error as SpecError {
            printSpecError(error, file: specPath)
            return ExitCode.failure
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }
}
