import Foundation
import Torch

/// Draws samples from the EMA weights of a training run.
public struct Sampling {
    public let run: TrainingRun
    public let spec: UNetSpec
    public let model: UNet
    public let diffusion: GaussianDiffusion

    /// Rebuilds the run's network from its `spec.yaml` and loads the EMA weights of its checkpoint.
    ///
    /// - Throws: `TrainingError` when the folder is not a run with a checkpoint; `SpecError`,
    ///   `SafetensorsError` when its files are invalid.
    public init(run: TrainingRun, device: Device = .cpu) throws {
        guard FileManager.default.fileExists(atPath: run.specPath) else {
            throw TrainingError("\(run.specPath) does not exist; expected a run folder written by unetzoo train")
        }
        guard FileManager.default.fileExists(atPath: run.checkpointPath) else {
            throw TrainingError("\(run.checkpointPath) does not exist; train the run until it writes a checkpoint")
        }
        self.run = run
        spec = try SpecLoader().load(path: run.specPath)
        model = try UNetBuilder(device: device).build(spec)
        try Checkpoint.loadEMA(path: run.checkpointPath, into: model)
        diffusion = try GaussianDiffusion(
            schedule: NoiseSchedule(kind: spec.train.schedule, timesteps: spec.train.timesteps),
            prediction: spec.train.prediction, loss: spec.train.loss, device: device)
    }

    /// Draws `count` images in [-1, 1] (count, C, H, W); the same seed gives the same images.
    public func sample(count: Int, sampler: SamplerKind, steps: Int?, seed: UInt64) throws -> Tensor {
        try Torch.manualSeed(seed)
        let shape = [count, spec.channels, spec.imageSize.height, spec.imageSize.width]
        return try diffusion.sample({ try model($0, $1) }, shape: shape, sampler: sampler, steps: steps)
    }
}
