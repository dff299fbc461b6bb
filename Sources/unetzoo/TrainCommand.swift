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

    /// Resolves SPEC with its overrides into the spec to train and the text the run keeps.
    ///
    /// `--batch`, `--steps` and a relative `train.data_dir` (made absolute against the current
    /// folder) become overrides, so the stored spec is self-contained and records what was trained.
    /// On `--resume` the run's stored spec is authoritative: SPEC and its overrides must resolve to it,
    /// except for `train.steps`, and a `--batch` left out keeps the run's batch size.
    static func composeSpec(path: String, parsed: Arguments, run: TrainingRun, resume: Bool) throws -> (UNetSpec, String) {
        let stored = resume && FileManager.default.fileExists(atPath: run.specPath) ? try SpecLoader().load(path: run.specPath) : nil
        var overrides = parsed.all("set")
        if let batch = parsed.value("batch") {
            overrides.append("train.batch_size=\(batch)")
        } else if let stored {
            overrides.append("train.batch_size=\(stored.train.batchSize)")
        }
        if let steps = parsed.value("steps") {
            overrides.append("train.steps=\(steps)")
        }

        var resolution = SpecLoader().resolve(path: path, overrides: overrides)
        if let dataDir = resolution.spec?.train.dataDir, !dataDir.hasPrefix("/") {
            let absolute = FileManager.default.currentDirectoryPath + "/" + dataDir
            let quoted = absolute.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            overrides.append("train.data_dir=\"\(quoted)\"")
            resolution = SpecLoader().resolve(path: path, overrides: overrides)
        }
        guard resolution.isValid, let spec = resolution.spec, let document = resolution.document else {
            throw resolution.error
        }

        if let stored {
            var given = spec
            given.train.steps = stored.train.steps
            if given != stored {
                throw CommandFailure(
                    "\(path) with its overrides differs from the spec \(run.directory) was trained with (\(run.specPath)) in "
                        + differences(stored, given).joined(separator: ", ")
                        + "; resume with the same spec and overrides, or train into a new --out folder")
            }
        }

        let header = overrides.isEmpty ? "" : " " + overrides.map { "--set \($0)" }.joined(separator: " ")
        let text = try YAMLWriter.write(document, header: [
            "Written by unetzoo train from \(path)\(header), with extends layers merged.",
            "Do not edit: unetzoo sample and train --resume read the network and its settings from this file.",
        ])
        return (spec, text)
    }

    /// `batchSize` → `batch_size`, the spec's spelling of a TrainSpec property.
    static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            text += character.isUppercase ? "_" + character.lowercased() : String(character)
        }
    }

    /// Names the resolved keys and training settings in which two specs differ.
    static func differences(_ stored: UNetSpec, _ given: UNetSpec) -> [String] {
        var names = SpecComparison(stored, given).keys.map { "\($0.key) (\($0.left ?? "none") in the run, \($0.right ?? "none") now)" }
        let storedSettings = Mirror(reflecting: stored.train).children
        let givenSettings = Mirror(reflecting: given.train).children
        for (old, new) in zip(storedSettings, givenSettings) where "\(old.value)" != "\(new.value)" {
            names.append("train.\(snakeCase(old.label ?? "?")) (\(old.value) in the run, \(new.value) now)")
        }
        if stored.name != given.name {
            names.append("name (\(stored.name) in the run, \(given.name) now)")
        }
        return names.isEmpty ? ["its settings"] : names
    }

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
            try parsed.requireOnePositional("SPEC")
            guard let value = parsed.value("out") else { throw UsageError("missing --out RUN") }
            out = value
            _ = try parsed.positiveInt("steps", default: 1)
            _ = try parsed.positiveInt("batch", default: 1)
            device = try BuildCommand.parseDevice(parsed.value("device"))
            try parsed.applyThreadCount()
        } catch {
            printError("error: \(error)\n\n\(help)")
            return ExitCode.usage
        }

        let path = parsed.positionals[0]
        do {
            let run = TrainingRun(directory: out)
            let resume = parsed.flag("resume")
            let (spec, specText) = try composeSpec(path: path, parsed: parsed, run: run, resume: resume)
            try BuildCommand.checkAvailable(device)
            let trainer = try Trainer(spec: spec, specText: specText, run: run, resume: resume, device: device)
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
