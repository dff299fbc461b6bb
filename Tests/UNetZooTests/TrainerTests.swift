import Foundation
import Testing
import Torch
@testable import UNetZoo

/// Training on real Fashion-MNIST with a tiny network: resumption, stopping, failures and checkpoints.
@Suite(.serialized) struct TrainerTests {
    static let tinySpecPath = packageRoot.appendingPathComponent("Tests/UNetZooTests/Specs/tiny-train.yaml").path

    static func tinySpec(_ extra: [String: String] = [:]) throws -> (spec: UNetSpec, text: String) {
        // replace a train key the file sets, else append it to the train section at the end
        var lines = try String(contentsOfFile: tinySpecPath, encoding: .utf8).split(separator: "\n").map(String.init)
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) {
            if let index = lines.firstIndex(where: { $0.hasPrefix("  \(key):") }) {
                lines[index] = "  \(key): \(value)"
            } else {
                lines.append("  \(key): \(value)")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        return (try loadSpec(text, file: "tiny-train.yaml"), text)
    }

    static func trainer(_ run: TrainingRun, resume: Bool = false, extra: [String: String] = [:]) throws -> Trainer {
        let (spec, text) = try tinySpec(extra)
        return try Trainer(spec: spec, specText: text, run: run, resume: resume)
    }

    /// Metrics lines without the timing field, which differs between runs.
    static func comparableMetrics(_ run: TrainingRun) throws -> [String] {
        try String(contentsOfFile: run.metricsPath, encoding: .utf8)
            .split(separator: "\n")
            .map { String($0).replacing(/, "images_per_second": [0-9.e+-]+/, with: "") }
    }

    @Test func resumeRepeatsUninterruptedRun() throws {
        let continuous = TrainingRun(directory: try temporaryFolder().path)
        let interrupted = TrainingRun(directory: try temporaryFolder().path)

        #expect(try Self.trainer(continuous).train(until: 6) == .finished(step: 6))
        #expect(try Self.trainer(interrupted).train(until: 4) == .finished(step: 4))
        let resumed = try Self.trainer(interrupted, resume: true)
        #expect(resumed.step == 4)
        #expect(try resumed.train(until: 6) == .finished(step: 6))

        let expected = try Self.comparableMetrics(continuous)
        let actual = try Self.comparableMetrics(interrupted).filter { !$0.hasPrefix("{\"step\": 4, \"eval_loss\"") }
        #expect(actual == expected)
        let first = try Safetensors.read(path: continuous.checkpointPath)
        let second = try Safetensors.read(path: interrupted.checkpointPath)
        #expect(first.names == second.names)
        for name in first.names where name != "rng_state" {
            #expect(try first.tensor(name).floats() == second.tensor(name).floats(), "\(name) differs")
        }
        #expect(try first.tensor("rng_state").rawBytes() == second.tensor("rng_state").rawBytes())
    }

    @Test func evaluatesAtStartPeriodicallyAndAtEnd() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)

        _ = try Self.trainer(run, extra: ["eval_every": "4"]).train(until: 6)

        let lines = try MetricsLog.read(path: run.metricsPath)
        let evaluated = lines.filter { $0["eval_loss"] != nil }.compactMap { $0["step"] as? Int }
        #expect(evaluated == [0, 4, 6])
        let trained = lines.filter { $0["loss"] != nil }.compactMap { $0["step"] as? Int }
        #expect(trained == [1, 2, 3, 4, 5, 6])
        let buckets = try #require(lines.first?["eval_bucket_losses"] as? [Double])
        #expect(buckets.count == 4)
        #expect(buckets.allSatisfy { $0 > 0 })
    }

    @Test func stopRequestSavesCheckpoint() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        let trainer = try Self.trainer(run, extra: ["checkpoint_every": "100"])

        let outcome = try trainer.train(until: 6, shouldStop: { trainer.step >= 2 })

        #expect(outcome == .stopped(step: 2))
        let checkpoint = try Safetensors.read(path: run.checkpointPath)
        #expect(checkpoint.metadata["step"] == "2")
        #expect(checkpoint.metadata["optimizer_step"] == "2")
        #expect(try Self.trainer(run, resume: true).step == 2)
    }

    @Test func nonFiniteLossStopsAndKeepsLastCheckpoint() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        let trainer = try Self.trainer(run, extra: ["learning_rate": "1e30", "checkpoint_every": "1"])

        let error = try #require(throws: TrainingError.self) { try trainer.train(until: 6) }

        let checkpoint = try Safetensors.read(path: run.checkpointPath)
        let kept = try #require(checkpoint.metadata["step"].flatMap(Int.init))
        #expect(error.message.hasPrefix("training stopped at step \(kept + 1): the "))
        #expect(error.message.hasSuffix("; the last good checkpoint (step \(kept)) is kept in \(run.checkpointPath). A lower train.learning_rate or train.grad_clip may help"))
        #expect(trainer.step == kept)
    }

    @Test func existingCheckpointNeedsResume() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        _ = try Self.trainer(run).train(until: 2)

        #expect(throws: TrainingError("\(run.directory) already contains a checkpoint; pass --resume to continue it, or choose another --out folder")) {
            try Self.trainer(run)
        }
    }

    @Test func resumeWithoutCheckpointFails() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)

        #expect(throws: TrainingError("\(run.checkpointPath) does not exist, so there is nothing to resume; start without --resume")) {
            try Self.trainer(run, resume: true)
        }
    }

    @Test func resumeWithOtherNetworkFails() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        _ = try Self.trainer(run).train(until: 2)
        let text = try String(contentsOfFile: Self.tinySpecPath, encoding: .utf8).replacing("dim: 8", with: "dim: 12")
        let other = try loadSpec(text)

        let error = try #require(throws: TrainingError.self) {
            try Trainer(spec: other, specText: text, run: run, resume: true)
        }

        #expect(error.message.contains("has shape"))
        #expect(error.message.hasSuffix("resume with the spec the checkpoint was trained with"))
    }

    @Test func missingDataDirectoryIsClearError() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)

        let error = try #require(throws: DataError.self) {
            try Self.trainer(run, extra: ["data_dir": "/nonexistent/fashion"])
        }

        #expect(error.path == "/nonexistent/fashion/train-images-idx3-ubyte.gz")
    }

    @Test func trainsOnPNGFolder() throws {
        let images = try temporaryFolder()
        for index in 0..<3 {
            let pixels = (0..<(28 * 28)).map { UInt8(($0 * (index + 1)) % 256) }
            try PNGImage(width: 28, height: 28, channels: 1, pixels: pixels).write(to: images.appendingPathComponent("\(index).png").path)
        }
        let run = TrainingRun(directory: try temporaryFolder().path)

        let trainer = try Self.trainer(run, extra: ["data": "png_folder", "data_dir": images.path, "horizontal_flip": "true"])
        let outcome = try trainer.train(until: 2)

        #expect(outcome == .finished(step: 2))
        let evaluations = try MetricsLog.read(path: run.metricsPath).compactMap { $0["eval_loss"] as? Double }
        #expect(evaluations.count == 2)
        #expect(evaluations.allSatisfy { $0.isFinite })
    }

    @Test func learningRateWarmsUpThenStaysConstant() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        let trainer = try Self.trainer(run, extra: ["warmup_steps": "4", "learning_rate": "0.002"])

        #expect([1, 2, 4, 5, 100].map(trainer.learningRate(at:)) == [0.0005, 0.001, 0.002, 0.002, 0.002])
    }

    @Test func emaDecayWarmsUp() throws {
        let parameter = try Tensor([Float(0)], shape: [1])
        let ema = try ExponentialMovingAverage([(name: "w", tensor: parameter)], decay: 0.999)

        #expect(ema.effectiveDecay(updates: 1) == 2.0 / 11.0)
        #expect(ema.effectiveDecay(updates: 100_000) == 0.999)
        try parameter.copy(from: Tensor([Float(1)], shape: [1]))
        try ema.update(towards: [parameter], updates: 1)
        #expect(abs(try ema.namedAverages[0].tensor.item() - 9.0 / 11.0) < 1e-6)
    }

    @Test func sampleGridIsReproducible() throws {
        let run = TrainingRun(directory: try temporaryFolder().path)
        _ = try Self.trainer(run).train(until: 2)
        let sampling = try Sampling(run: run)

        let first = try sampling.sample(count: 5, sampler: .ddpm, steps: nil, seed: 4)
        let second = try sampling.sample(count: 5, sampler: .ddpm, steps: nil, seed: 4)
        let other = try sampling.sample(count: 5, sampler: .ddim, steps: 5, seed: 4)
        let grid = try SampleGrid.image(from: first)

        #expect(try first.floats() == second.floats())
        #expect(try first.floats() != other.floats())
        #expect(grid.width == 3 * 30 + 2)
        #expect(grid.height == 2 * 30 + 2)
        #expect(grid.pixels[0] == 0)
    }
}
