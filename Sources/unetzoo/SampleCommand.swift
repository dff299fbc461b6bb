import Foundation
import Torch
import UNetZoo

/// `unetzoo sample RUN --out grid.png`: a PNG grid of samples from a run's EMA weights.
enum SampleCommand {
    static let help = """
        Usage: unetzoo sample RUN --out GRID.png [--n 64] [--sampler ddpm|ddim] [--steps S] [--seed K] [--device D] [--threads N]

        Rebuilds the network of RUN/spec.yaml, loads the EMA weights of RUN/checkpoint.safetensors,
        draws images from N(0, 1) noise and writes them as one PNG grid. The same seed gives the
        same file.

        Options:
          --out GRID.png  The PNG file to write.
          --n N           Number of images (default 64).
          --sampler S     ddpm (default; ancestral sampling over all train.timesteps steps) or
                          ddim (deterministic, over --steps evenly spaced steps).
          --steps S       Network evaluations for ddim (default 50); ddpm always uses every step.
          --seed K        Seed of the noise (default 0).
          --device D      cpu (default), cuda or cuda:N.
          --threads N     CPU threads for libtorch (default: libtorch's choice).
          -h, --help      Show this help.

        Exit codes: 0 success, 1 invalid run folder or failed run, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            print(help)
            return ExitCode.success
        }
        let parsed: Arguments
        let count: Int
        let sampler: SamplerKind
        let steps: Int
        let seed: Int
        let device: Device
        let out: String
        do {
            parsed = try Arguments(arguments, options: ["out", "n", "sampler", "steps", "seed", "device", "threads"], flags: ["help"])
            try parsed.requireOnePositional("RUN", noun: "RUN folder")
            guard let value = parsed.value("out") else { throw UsageError("missing --out GRID.png") }
            out = value
            count = try parsed.positiveInt("n", default: 64)
            let samplerName = parsed.value("sampler") ?? "ddpm"
            guard let kind = SamplerKind(rawValue: samplerName) else {
                throw UsageError("option '--sampler' expects ddpm or ddim, got '\(samplerName)'")
            }
            sampler = kind
            steps = try parsed.positiveInt("steps", default: 50)
            if let text = parsed.value("seed") {
                guard let number = Int(text), number >= 0 else {
                    throw UsageError("option '--seed' expects a non-negative integer, got '\(text)'")
                }
                seed = number
            } else {
                seed = 0
            }
            device = try BuildCommand.parseDevice(parsed.value("device"))
            try parsed.applyThreadCount()
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        do {
            let started = Date()
            try BuildCommand.checkAvailable(device)
            let sampling = try Sampling(run: TrainingRun(directory: parsed.positionals[0]), device: device)
            if sampler == .ddim && steps > sampling.diffusion.timesteps {
                printError("note: --steps \(steps) is more than the run's \(sampling.diffusion.timesteps) timesteps, so ddim uses all \(sampling.diffusion.timesteps)")
            }
            let images = try sampling.sample(count: count, sampler: sampler, steps: sampler == .ddim ? steps : nil, seed: UInt64(seed))
            try SampleGrid.image(from: images).write(to: out)
            let evaluations = sampler == .ddim ? min(steps, sampling.diffusion.timesteps) : sampling.diffusion.timesteps
            printError("wrote \(count) sample\(count == 1 ? "" : "s") (\(sampler.rawValue), \(evaluations) steps, seed \(seed)) to \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            return ExitCode.success
        } catch let error as SpecError {
            printError(error.description)
            return ExitCode.failure
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }
}
