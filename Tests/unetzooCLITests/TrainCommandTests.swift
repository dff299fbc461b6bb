import Foundation
import Testing

/// A new empty folder under the system temporary directory.
func temporaryRunFolder() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// `unetzoo train` and `unetzoo sample` as a user runs them, on a tiny spec and real Fashion-MNIST.
@Suite(.serialized) struct TrainCommandTests {
    static let tinySpec = "Tests/UNetZooTests/Specs/tiny-train.yaml"

    @Test func trainWritesMetricsAndPlainProgress() throws {
        let run = try temporaryRunFolder() + "/run"

        let result = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "3", "--batch", "2")

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("training tiny-train (30,577 parameters) on cpu, batch 2, from step 0 to 3\nstep 0: eval_loss "))
        #expect(result.stderr.contains("\nstep 3/3  loss "))
        #expect(!result.stderr.contains("\u{1B}["))
        #expect(result.stderr.hasSuffix("finished at step 3; checkpoint in \(run)/checkpoint.safetensors, metrics in \(run)/metrics.jsonl\n"))
        let lines = try String(contentsOfFile: run + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        // evaluation at step 0 and at the last step, training loss at steps 1 to 3 (log_every 1)
        #expect(lines.count == 5)
        #expect(lines.allSatisfy { $0.hasPrefix("{\"step\": ") })
        #expect(lines.filter { $0.contains("\"eval_loss\"") }.count == 2)
        #expect(FileManager.default.fileExists(atPath: run + "/spec.yaml"))
    }

    @Test func runKeepsComposedSpecForSampling() throws {
        let run = try temporaryRunFolder() + "/run"

        let trained = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "1", "--set", "dim=12", "--set", "name=variant")
        let stored = try String(contentsOfFile: run + "/spec.yaml", encoding: .utf8)
        let sampled = try unetzoo("sample", run, "--n", "2", "--out", run + "/grid.png")

        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.hasPrefix("training variant ("))
        #expect(stored.hasPrefix("# Written by unetzoo train from \(Self.tinySpec) --set dim=12 --set name=variant --set train.steps=1, with extends layers merged."))
        #expect(stored.contains("\ndim: 12\n"))
        #expect(sampled.status == 0, "\(sampled.stderr)")
    }

    @Test func resumeKeepsRunSettings() throws {
        let run = try temporaryRunFolder() + "/run"

        let first = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "1", "--batch", "2")
        let resumed = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "2", "--resume")
        let changed = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "3", "--resume", "--set", "train.learning_rate=0.05")

        #expect(first.status == 0, "\(first.stderr)")
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.hasPrefix("training tiny-train (30,577 parameters) on cpu, batch 2, from step 1 to 2\n"))
        #expect(changed.status == 1)
        #expect(changed.stderr == "error: \(Self.tinySpec) with its overrides differs from the spec \(run) was trained with (\(run)/spec.yaml) in train.learning_rate (0.001 in the run, 0.05 now); resume with the same spec and overrides, or train into a new --out folder\n")
    }

    @Test func sigtermSavesCheckpointAndResumes() throws {
        let run = try temporaryRunFolder()
        let process = Process()
        process.executableURL = try unetzooExecutable()
        process.arguments = ["train", Self.tinySpec, "--out", run, "--steps", "100000"]
        process.currentDirectoryURL = packageRoot
        let errors = Pipe()
        process.standardError = errors
        try process.run()

        // wait (at most 120 s) until a few steps are logged, then ask the run to stop
        let metrics = run + "/metrics.jsonl"
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: metrics, encoding: .utf8)) ?? ""
            if text.contains("{\"step\": 3,") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()

        #expect(process.terminationStatus == 143, "\(stderr)")
        let stopLine = try #require(stderr.split(separator: "\n").last)
        #expect(stopLine.hasPrefix("stopped by SIGTERM at step "))
        #expect(stopLine.hasSuffix("; checkpoint saved to \(run)/checkpoint.safetensors; continue with --resume"))
        let stoppedStep = try #require(Int(stopLine.split(separator: " ")[5].dropLast()))

        let resumed = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "\(stoppedStep + 2)", "--resume")

        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("from step \(stoppedStep) to \(stoppedStep + 2)"))
    }

    @Test func nonFiniteLossExitsOne() throws {
        let folder = try temporaryRunFolder()
        let text = try String(contentsOfFile: packageRoot.appendingPathComponent(Self.tinySpec).path, encoding: .utf8)
            .replacing("warmup_steps: 2", with: "warmup_steps: 0\n  learning_rate: 1e30")
        let spec = folder + "/exploding.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: spec))

        let result = try unetzoo("train", spec, "--out", folder + "/run")

        #expect(result.status == 1)
        #expect(result.stderr.contains("error: training stopped at step "))
        #expect(result.stderr.contains("A lower train.learning_rate or train.grad_clip may help"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missingOut = try unetzoo("train", Self.tinySpec)
        let badSteps = try unetzoo("train", Self.tinySpec, "--out", "x", "--steps", "-3")
        let badSampler = try unetzoo("sample", "x", "--out", "x.png", "--sampler", "euler")

        #expect(missingOut.status == 2)
        #expect(missingOut.stderr.hasPrefix("error: missing --out RUN\n"))
        #expect(badSteps.status == 2)
        #expect(badSteps.stderr.hasPrefix("error: option '--steps' expects a positive integer, got '-3'\n"))
        #expect(badSampler.status == 2)
        #expect(badSampler.stderr.hasPrefix("error: option '--sampler' expects ddpm or ddim, got 'euler'\n"))
    }

    @Test func sampleFromNonRunExitsOne() throws {
        let folder = try temporaryRunFolder()

        let result = try unetzoo("sample", folder, "--out", folder + "/grid.png")

        #expect(result.status == 1)
        #expect(result.stderr == "error: \(folder)/spec.yaml does not exist; expected a run folder written by unetzoo train\n")
    }

    @Test func sameSeedWritesSameFile() throws {
        let run = try temporaryRunFolder()
        _ = try unetzoo("train", Self.tinySpec, "--out", run, "--steps", "2")

        let first = try unetzoo("sample", run, "--n", "4", "--seed", "5", "--out", run + "/a.png")
        let second = try unetzoo("sample", run, "--n", "4", "--seed", "5", "--out", run + "/b.png")
        let other = try unetzoo("sample", run, "--n", "4", "--seed", "6", "--out", run + "/c.png")

        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.hasPrefix("wrote 4 samples (ddpm, 20 steps, seed 5) to \(run)/a.png in "))
        let a = try Data(contentsOf: URL(fileURLWithPath: run + "/a.png"))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: run + "/b.png"))))
        #expect(other.status == 0)
        #expect(a != (try Data(contentsOf: URL(fileURLWithPath: run + "/c.png"))))
        #expect(a.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }
}
