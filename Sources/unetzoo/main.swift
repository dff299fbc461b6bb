import Foundation
import UNetZoo

/// Exit codes shared by every command.
enum ExitCode {
    static let success: Int32 = 0
    /// An invalid spec, or a run that failed; the message on stderr tells which.
    static let failure: Int32 = 1
    static let usage: Int32 = 2
}

let mainHelp = """
    unetzoo: build, train and compare diffusion U-Net variants described in YAML specs.

    Usage: unetzoo <command> [options]

    Commands:
      build SPEC      Print the module table of a spec and time one forward pass.
      blocks [NAME]   List the registered blocks, or show one block's parameters.
      diff A B        Compare two specs: differing resolved keys, parameters and MACs per level.
      validate SPEC...  Check specs without building them; --explain shows every resolved value.
      forward SPEC    Run one forward (and backward) pass with given weights and inputs.
      train SPEC      Train a spec with DDPM into a run folder (--out RUN).
      sample RUN      Write a PNG grid of samples from a run's EMA weights (--out GRID.png).

    Options:
      -h, --help      Show help; `unetzoo <command> --help` shows a command's options.
      --version       Print the unetzoo and libtorch versions.

    Exit codes: 0 success, 1 invalid spec or failed run, 2 usage error.
    """

/// Writes to standard error; results go to standard output only.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes every diagnostic of a spec with its source line, then how many errors `file` has.
func printSpecError(_ error: SpecError, file: String) {
    printError(error.description)
    let count = error.diagnostics.filter { $0.severity == .error }.count
    printError("\(count) error\(count == 1 ? "" : "s") in \(file)")
}

func run(_ arguments: [String]) -> Int32 {
    guard let command = arguments.first else {
        printError(mainHelp)
        return ExitCode.usage
    }
    let rest = Array(arguments.dropFirst())
    switch command {
    case "-h", "--help", "help":
        print(mainHelp)
        return ExitCode.success
    case "--version":
        print("unetzoo \(UNetZooVersion.current) (libtorch \(UNetZooVersion.libtorch))")
        return ExitCode.success
    case "build":
        return BuildCommand.run(rest)
    case "blocks":
        return BlocksCommand.run(rest)
    case "diff":
        return DiffCommand.run(rest)
    case "validate":
        return ValidateCommand.run(rest)
    case "forward":
        return ForwardCommand.run(rest)
    case "bench":
        // Hidden: the unetzoo side of benchmarks/run.py.
        return BenchCommand.run(rest)
    case "train":
        return TrainCommand.run(rest)
    case "sample":
        return SampleCommand.run(rest)
    default:
        let hint = nearestName(to: command, in: ["build", "blocks", "diff", "validate", "forward", "train", "sample"]).map { "; did you mean '\($0)'?" } ?? ""
        printError("error: unknown command '\(command)'\(hint)\n\n\(mainHelp)")
        return ExitCode.usage
    }
}

exit(run(Array(CommandLine.arguments.dropFirst())))
