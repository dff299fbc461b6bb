import Foundation
import Torch

/// Trains a U-Net with DDPM on a spec's data and settings, writing metrics and checkpoints to a run folder.
///
/// A run is reproducible. The weights, noise and timesteps come from libtorch's generator seeded with
/// `train.seed`, and batches depend only on the seed and step. A checkpoint stores the generator's
/// state, so a run resumed from step k takes the same steps as an uninterrupted one.
public final class Trainer {
    public let spec: UNetSpec
    public var settings: TrainSpec { spec.train }
    public let run: TrainingRun
    public let device: Device
    public let model: UNet
    public let ema: ExponentialMovingAverage
    public let diffusion: GaussianDiffusion
    /// The last completed optimizer step; 0 before training.
    public private(set) var step = 0
    /// The step of the last checkpoint written or loaded, nil when there is none.
    public private(set) var checkpointStep: Int?

    private let optimizer: AdamW
    private let parameters: [(name: String, tensor: Tensor)]
    private let trainData: ImageDataset
    private var sampler: BatchSampler
    private let evaluator: Evaluator
    private let metrics: MetricsLog

    /// Prepares a run: loads the data, builds the network and, with `resume`, restores the last checkpoint.
    ///
    /// - Parameter specText: the spec file's text, copied into the run folder on a fresh start.
    /// - Throws: `TrainingError` when the run folder already contains a checkpoint and `resume` is false,
    ///   or contains none and `resume` is true; `DataError` for missing or corrupt data; `SafetensorsError`
    ///   for an unreadable checkpoint.
    public init(spec: UNetSpec, specText: String, run: TrainingRun, resume: Bool, device: Device = .cpu) throws {
        self.spec = spec
        self.run = run
        self.device = device
        let settings = spec.train
        let manager = FileManager.default
        let hasCheckpoint = manager.fileExists(atPath: run.checkpointPath)
        if resume && !hasCheckpoint {
            throw TrainingError("\(run.checkpointPath) does not exist, so there is nothing to resume; start without --resume")
        }
        if !resume && hasCheckpoint {
            throw TrainingError("\(run.directory) already contains a checkpoint; pass --resume to continue it, or choose another --out folder")
        }
        try manager.createDirectory(atPath: run.directory, withIntermediateDirectories: true)

        (trainData, evaluationImages) = try Self.loadData(spec: spec)
        sampler = BatchSampler(datasetCount: trainData.count, batchSize: settings.batchSize, seed: UInt64(settings.seed), horizontalFlips: settings.horizontalFlip)

        try Torch.manualSeed(UInt64(settings.seed))
        model = try UNetBuilder(device: device).build(spec)
        parameters = model.namedParameters
        ema = try ExponentialMovingAverage(parameters, decay: settings.emaDecay)
        optimizer = try AdamW(
            parameters: parameters.map(\.tensor), learningRate: settings.learningRate,
            betas: (settings.beta1, settings.beta2), eps: settings.epsilon, weightDecay: settings.weightDecay)
        diffusion = try GaussianDiffusion(
            schedule: NoiseSchedule(kind: settings.schedule, timesteps: settings.timesteps),
            prediction: settings.prediction, loss: settings.loss, device: device)
        evaluator = try Evaluator(
            images: evaluationImages.prefix(settings.evalImages), diffusion: diffusion,
            bucketCount: settings.evalBuckets, batchSize: settings.evalBatchSize, seed: UInt64(settings.seed) &+ 1)

        if resume {
            let restored = try Checkpoint.load(path: run.checkpointPath, model: parameters, ema: ema, optimizer: optimizer)
            step = restored
            checkpointStep = restored
            metrics = try MetricsLog(path: run.metricsPath, keepingThrough: restored)
        } else {
            try Data(specText.utf8).write(to: URL(fileURLWithPath: run.specPath), options: .atomic)
            metrics = try MetricsLog(path: run.metricsPath)
        }
    }

    private let evaluationImages: ImageDataset

    private static func loadData(spec: UNetSpec) throws -> (train: ImageDataset, evaluation: ImageDataset) {
        let settings = spec.train
        let height = spec.imageSize.height
        let width = spec.imageSize.width
        switch settings.data {
        case .fashionMNIST:
            let train = try ImageDataset.fashionMNIST(directory: settings.dataDir, split: .train)
            let test = try ImageDataset.fashionMNIST(directory: settings.dataDir, split: .test)
            guard spec.channels == 1, height == train.height, width == train.width else {
                throw TrainingError("Fashion-MNIST images are 1x\(train.height)x\(train.width), but the spec expects \(spec.channels)x\(height)x\(width); set channels: 1 and image_size: \(train.height)")
            }
            return (train, test)
        case .pngFolder:
            // NOTE: a PNG folder has no separate test split, so evaluation uses the folder's first
            // eval_images images, which are also trained on. Its loss measures fit, not generalisation.
            let images = try ImageDataset.pngFolder(path: settings.dataDir, channels: spec.channels, height: height, width: width)
            return (images, images)
        }
    }

    /// Returns the learning rate at `step` (1-based): a linear warmup to `learning_rate`, then constant.
    public func learningRate(at step: Int) -> Double {
        guard settings.warmupSteps > 0 else { return settings.learningRate }
        return settings.learningRate * Swift.min(1, Double(step) / Double(settings.warmupSteps))
    }

    /// Evaluates the current weights on the held-out images and appends an `eval_loss` line.
    @discardableResult
    public func evaluate() throws -> Evaluator.Result {
        let result = try evaluator.evaluate { try self.model($0, $1) }
        metrics.append(step: step, [("eval_loss", .double(result.loss)), ("eval_bucket_losses", .doubles(result.bucketLosses))])
        return result
    }

    /// Writes the checkpoint of the current step atomically.
    public func saveCheckpoint() throws {
        try Checkpoint.save(path: run.checkpointPath, step: step, spec: spec, model: parameters, ema: ema, optimizer: optimizer)
        checkpointStep = step
    }

    /// Trains until step `lastStep`, or until `shouldStop` returns true after a step.
    ///
    /// Evaluates at step 0 of a fresh run, every `eval_every` steps and at `lastStep`; saves a
    /// checkpoint every `checkpoint_every` steps, at `lastStep` and when stopped.
    ///
    /// - Throws: `TrainingError` naming the step when the loss or the gradient norm is not finite;
    ///   the last good checkpoint is left as it was.
    public func train(until lastStep: Int, shouldStop: () -> Bool = { false }, progress: (TrainProgress) -> Void = { _ in }) throws -> TrainOutcome {
        if step == 0 {
            let result = try evaluate()
            progress(TrainProgress(step: 0, lastStep: lastStep, loss: nil, evalLoss: result.loss, imagesPerSecond: nil, secondsLeft: nil))
        }
        var windowLoss = 0.0
        var windowSteps = 0
        var trainingSeconds = 0.0
        var stepsThisSession = 0
        while step < lastStep {
            let started = Date()
            let loss = try trainStep(step + 1)
            step += 1
            trainingSeconds += Date().timeIntervalSince(started)
            stepsThisSession += 1
            windowLoss += loss
            windowSteps += 1

            let secondsPerStep = trainingSeconds / Double(stepsThisSession)
            var report = TrainProgress(
                step: step, lastStep: lastStep, loss: loss, evalLoss: nil,
                imagesPerSecond: Double(settings.batchSize) / secondsPerStep,
                secondsLeft: secondsPerStep * Double(lastStep - step))
            if step % settings.logEvery == 0 || step == lastStep {
                metrics.append(step: step, [
                    ("loss", .double(windowLoss / Double(windowSteps))), ("lr", .double(learningRate(at: step))),
                    ("images_per_second", .double(report.imagesPerSecond ?? 0)),
                ])
                windowLoss = 0
                windowSteps = 0
            }
            if step % settings.evalEvery == 0 || step == lastStep {
                report.evalLoss = try evaluate().loss
            }
            if step % settings.checkpointEvery == 0 || step == lastStep {
                try saveCheckpoint()
            }
            progress(report)
            if step < lastStep && shouldStop() {
                try saveCheckpoint()
                return .stopped(step: step)
            }
        }
        return .finished(step: step)
    }

    /// One optimizer step; returns the batch loss.
    private func trainStep(_ number: Int) throws -> Double {
        let (indices, flips) = sampler.batch(step: number)
        let x0 = try trainData.batch(indices: indices, flips: flips, device: device)
        let loss = try diffusion.trainingLoss({ try self.model($0, $1) }, x0: x0)
        let value = try loss.item()
        guard value.isFinite else {
            throw nonFinite("the loss is \(value)", step: number)
        }
        try loss.backward()
        if settings.gradClip > 0 {
            let norm = try clipGradNorm(parameters.map(\.tensor), maxNorm: settings.gradClip)
            guard norm.isFinite else {
                throw nonFinite("the gradient norm is \(norm)", step: number)
            }
        }
        optimizer.learningRate = learningRate(at: number)
        try optimizer.step()
        try optimizer.zeroGrad()
        try ema.update(towards: parameters.map(\.tensor), updates: number)
        return value
    }

    private func nonFinite(_ what: String, step: Int) -> TrainingError {
        let kept = checkpointStep.map { "the last good checkpoint (step \($0)) is kept in \(run.checkpointPath)" }
            ?? "no checkpoint was written yet"
        return TrainingError("training stopped at step \(step): \(what); \(kept). A lower train.learning_rate or train.grad_clip may help")
    }
}

/// The state of a run after one step, for progress displays.
public struct TrainProgress: Sendable {
    public var step: Int
    public var lastStep: Int
    /// The batch loss of this step; nil for the evaluation before the first step.
    public var loss: Double?
    /// The held-out loss when this step was evaluated.
    public var evalLoss: Double?
    public var imagesPerSecond: Double?
    public var secondsLeft: Double?
}

/// The end state of a call of `Trainer.train`.
public enum TrainOutcome: Equatable, Sendable {
    case finished(step: Int)
    /// Stopped early on request, with a checkpoint of this step.
    case stopped(step: Int)
}
