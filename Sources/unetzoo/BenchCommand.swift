import Foundation
import Torch
import UNetZoo

/// `unetzoo bench forward|train SPEC`: the unetzoo side of `benchmarks/run.py`.
///
/// Not listed in the main help because its output is meant for the harness, which runs the
/// PyTorch reference the same way and compares the two.
enum BenchCommand {
    static let help = """
        Usage: unetzoo bench forward|train SPEC [--batch N] [--iterations N] [--warmup N] [--threads N]
                                              [--device cpu|cuda[:N]] [--seed N]

        Times one workload of the U-Net of SPEC on random inputs and prints one JSON object:
        workload, batch, threads, seconds (one entry per timed iteration) and max_rss_bytes.

        Workloads:
          forward   A forward pass without gradients.
          train     A training step: forward, smooth L1 loss against N(0, 1) noise, backward and
                    an AdamW step (learning rate 1e-3, PyTorch's other defaults).

        Options:
          --batch N        Images per iteration (default 8).
          --iterations N   Timed iterations (default 5).
          --warmup N       Untimed iterations first (default 1).
          --threads N      CPU threads for libtorch (default: libtorch's choice).
          --device D       cpu (default), cuda or cuda:N.
          --seed N         Seed of the weights and inputs (default 1).
          -h, --help       Show this help.
        """

    static func run(_ arguments: [String]) -> Int32 {
        let parsed: Arguments
        let workload: String
        let device: Device
        do {
            if arguments.contains("-h") || arguments.contains("--help") {
                print(help)
                return ExitCode.success
            }
            parsed = try Arguments(
                arguments, options: ["batch", "iterations", "warmup", "threads", "device", "seed"], flags: ["help"])
            guard parsed.positionals.count == 2, ["forward", "train"].contains(parsed.positionals[0]) else {
                throw UsageError("expected a workload (forward or train) and one SPEC, got: \(parsed.positionals.joined(separator: " "))")
            }
            workload = parsed.positionals[0]
            device = try BuildCommand.parseDevice(parsed.value("device"))
            try parsed.applyThreadCount()
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        do {
            let batch = try parsed.positiveInt("batch", default: 8)
            let iterations = try parsed.positiveInt("iterations", default: 5)
            let warmup = parsed.value("warmup") == "0" ? 0 : try parsed.positiveInt("warmup", default: 1)
            let spec = try SpecLoader().load(path: parsed.positionals[1])
            try Torch.manualSeed(UInt64(try parsed.positiveInt("seed", default: 1)))
            try BuildCommand.checkAvailable(device)
            let model = try UNetBuilder(device: device).build(spec)
            let step = try makeStep(workload: workload, model: model, batch: batch, device: device)

            for _ in 0..<warmup {
                try step()
            }
            var seconds: [Double] = []
            for _ in 0..<iterations {
                try Torch.synchronize(device)
                let start = DispatchTime.now().uptimeNanoseconds
                try step()
                try Torch.synchronize(device)
                seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }

            let report: [String: Any] = [
                "workload": workload, "batch": batch, "threads": Torch.threadCount, "seconds": seconds,
                "max_rss_bytes": maxResidentBytes(), "parameters": model.parameterCount,
            ]
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return ExitCode.success
        } catch let error as UsageError {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }

    /// Makes a closure that runs one iteration of the workload on fixed random inputs.
    static func makeStep(workload: String, model: UNet, batch: Int, device: Device) throws -> () throws -> Void {
        let spec = model.plan.spec
        let x = try Tensor.randn([batch, spec.channels, spec.imageSize.height, spec.imageSize.width], device: device)
        let t = try Tensor.randint(0, 200, shape: [batch], device: device)
        if workload == "forward" {
            return { _ = try withoutGrad { try model(x, t) } }
        }

        let noise = try Tensor.randn([batch, spec.resolvedOutDim, spec.imageSize.height, spec.imageSize.width], device: device)
        let optimizer = try AdamW(parameters: model.parameters, learningRate: 1e-3)
        return {
            try optimizer.zeroGrad()
            let loss = try Loss.smoothL1(model(x, t), noise)
            try loss.backward()
            try optimizer.step()
        }
    }

    /// Returns the peak resident set size of this process in bytes (Linux reports kilobytes).
    static func maxResidentBytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
