import Foundation
import Torch
import UNetZoo

/// Set by the SIGINT and SIGTERM handlers; the training loop reads it after every step.
nonisolated(unsafe) private var receivedSignal: Int32 = 0

/// `unetzoo train SPEC --out RUN`: DDPM training with metrics, checkpoints and resumption.
enum TrainCommand {
    static let help = """
        Usage: unetzoo train SPEC --out RUN [--steps N] [--batch B] [--resume] [--device D] [--threads N]
                              [--set key.path=value]...

        Trains the U-Net of SPEC with DDPM on the data and settings of its train: section
        (defaults: Fashion-MNIST from /usr/share/datasets/fashion-mnist, linear schedule over 200
        steps, epsilon prediction, Huber loss, AdamW with warmup, gradient clipping, EMA weights).
        RUN receives spec.yaml, checkpoint.safetensors and metrics.jsonl (one JSON object per line
        with "step"; evaluation lines carry "eval_loss", the held-out epsilon MSE, and
        "eval_bucket_losses" per timestep range). Progress goes to stderr: a bar on a terminal,
        otherwise one line every train.log_every steps.

        Options:
          --out RUN       Run folder (created when missing).
          --steps N       Train until step N (default: train.steps).
          --batch B       Images per step (default: train.batch_size).
          --resume        Continue from RUN/checkpoint.safetensors up to --steps.
          --device D      cpu (default), cuda or cuda:N.
          --threads N     CPU threads for libtorch (default: libtorch's choice).
          --set K=V       Override a spec value, train.* included, as in `unetzoo validate` (repeatable).
          -h, --help      Show this help.

        Ctrl-C or SIGTERM saves a checkpoint and exits with 130 or 143; continue with --resume.
        Exit codes: 0 finished, 1 invalid spec, missing data or failed run, 2 usage error.
        """

    static func run(_ arguments: [String]) -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            print(help)
            return ExitCode.success
        }
        let parsed: Arguments
        let device: Device
        let out: String
        do {
            parsed = try Arguments(arguments, options: ["out", "steps", "batch", "device", "threads", "set"], flags: ["resume", "help"])
            guard parsed.positionals.count == 1 else {
                throw UsageError(parsed.positionals.isEmpty ? "missing SPEC" : "expected one SPEC, got \(parsed.positionals.count): \(parsed.positionals.joined(separator: " "))")
            }
            guard let value = parsed.value("out") else { throw UsageError("missing --out RUN") }
            out = value
            _ = try parsed.positiveInt("steps", default: 1)
            _ = try parsed.positiveInt("batch", default: 1)
            device = try BuildCommand.parseDevice(parsed.value("device"))
            if parsed.value("threads") != nil {
                try Torch.setThreadCount(parsed.positiveInt("threads", default: 1))
            }
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let path = parsed.positionals[0]
        do {
            let resolution = SpecLoader().resolve(path: path, overrides: parsed.all("set"))
            guard resolution.isValid, var spec = resolution.spec, let document = resolution.document else {
                throw resolution.error
            }
            spec.train.steps = try parsed.positiveInt("steps", default: spec.train.steps)
            spec.train.batchSize = try parsed.positiveInt("batch", default: spec.train.batchSize)
            try BuildCommand.checkAvailable(device)
            // The run keeps the composed spec, so sampling needs neither the extended files nor the overrides.
            let overrides = parsed.all("set").map { " --set \($0)" }.joined()
            let specText = try YAMLWriter.write(document, header: [
                "Written by unetzoo train from \(path)\(overrides), with extends layers merged. Do not edit:",
                "unetzoo sample reads the network from this file.",
            ])
            let trainer = try Trainer(spec: spec, specText: specText, run: TrainingRun(directory: out), resume: parsed.flag("resume"), device: device)
            let lastStep = spec.train.steps
            guard trainer.step < lastStep || trainer.step == 0 else {
                printError("\(out) is already at step \(trainer.step); pass a larger --steps to train further")
                return ExitCode.success
            }
            installSignalHandlers()
            let display = ProgressDisplay(terminal: isatty(STDERR_FILENO) != 0, logEvery: spec.train.logEvery)
            printError("training \(spec.name) (\(grouped(trainer.model.parameterCount)) parameters) on \(device), batch \(spec.train.batchSize), from step \(trainer.step) to \(lastStep)")
            let outcome = try trainer.train(until: lastStep, shouldStop: { receivedSignal != 0 }, progress: display.show)
            display.finish()
            switch outcome {
            case .finished(let step):
                printError("finished at step \(step); checkpoint in \(trainer.run.checkpointPath), metrics in \(trainer.run.metricsPath)")
                return ExitCode.success
            case .stopped(let step):
                let name = receivedSignal == SIGTERM ? "SIGTERM" : "SIGINT"
                printError("stopped by \(name) at step \(step); checkpoint saved to \(trainer.run.checkpointPath); continue with --resume")
                return 128 + receivedSignal
            }
        } catch let error as SpecError {
            printSpecError(error, file: path)
            return ExitCode.failure
        } catch {
            printError("error: \(error)")
            return ExitCode.failure
        }
    }

    /// Turns the first SIGINT or SIGTERM into a request to save and stop. A second one ends the
    /// process at once through the default action, for a user who does not want to wait.
    ///
    /// Both signals are also unblocked, because a parent may start the process with them blocked
    /// (Foundation's `Process` on Linux does), and a blocked SIGTERM would never stop the run.
    private static func installSignalHandlers() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                receivedSignal = number
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
            }
        }
    }

    private static func grouped(_ value: Int) -> String {
        BuildCommand.grouped(value)
    }
}

/// Shows training progress on stderr: a redrawn bar on a terminal, plain lines otherwise.
final class ProgressDisplay {
    let terminal: Bool
    let logEvery: Int
    private var drewBar = false

    init(terminal: Bool, logEvery: Int) {
        self.terminal = terminal
        self.logEvery = logEvery
    }

    func show(_ progress: TrainProgress) {
        if let evalLoss = progress.evalLoss {
            clearBar()
            printError("step \(progress.step): eval_loss \(format(evalLoss, digits: 5))")
        }
        guard let loss = progress.loss else { return }
        let counter = "step \(progress.step)/\(progress.lastStep)"
        let rate = progress.imagesPerSecond.map { format($0, digits: 1) } ?? "-"
        let left = progress.secondsLeft.map(duration) ?? "-"
        let details = "loss \(format(loss, digits: 4))  \(rate) images/s  \(left) left"
        if terminal {
            let width = 30
            let filled = progress.lastStep > 0 ? width * progress.step / progress.lastStep : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(counter)  \(details)".utf8))
            drewBar = true
        } else if progress.step % logEvery == 0 || progress.step == progress.lastStep {
            printError("\(counter)  \(details)")
        }
    }

    func finish() {
        clearBar()
    }

    private func clearBar() {
        if drewBar {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            drewBar = false
        }
    }

    private func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }

    private func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600 ? "\(total / 3600)h\(String(format: "%02d", total / 60 % 60))m"
            : "\(total / 60)m\(String(format: "%02d", total % 60))s"
    }
}
