import Torch

/// The held-out ε-loss: mean squared error between the noise and the noise estimate implied by the
/// network, on fixed images, timesteps and noise, so that one number compares runs and variants.
public struct Evaluator {
    /// The loss over every held-out image and, per bucket, over the images whose timestep falls in it.
    public struct Result: Equatable, Sendable {
        public var loss: Double
        /// One mean per equal-width timestep range, from the smallest timesteps up.
        public var bucketLosses: [Double]
    }

    public let diffusion: GaussianDiffusion
    public let bucketCount: Int
    private let batches: [(x0: Tensor, t: Tensor, noise: Tensor)]
    private let bucketOfSample: [Int]

    /// Fixes the evaluation inputs. Timesteps cover 0..<T evenly (image i gets i·T / count), and the
    /// noise comes from libtorch's generator seeded with `seed`; the generator's previous state is
    /// restored afterwards, so building an evaluator does not change the training run's random numbers.
    public init(images: ImageDataset, diffusion: GaussianDiffusion, bucketCount: Int, batchSize: Int, seed: UInt64) throws {
        precondition(images.count > 0 && bucketCount > 0 && batchSize > 0, "evaluation needs images, buckets and a batch size")
        self.diffusion = diffusion
        self.bucketCount = bucketCount
        let count = images.count
        let timesteps = (0..<count).map { $0 * diffusion.timesteps / count }
        bucketOfSample = timesteps.map { $0 * bucketCount / diffusion.timesteps }

        let savedState = try Torch.rngState()
        try Torch.manualSeed(seed)
        var batches: [(x0: Tensor, t: Tensor, noise: Tensor)] = []
        for start in stride(from: 0, to: count, by: batchSize) {
            let indices = Array(start..<Swift.min(start + batchSize, count))
            let x0 = try images.batch(indices: indices, device: diffusion.device)
            let t = try Tensor(indices.map { Int64(timesteps[$0]) }, shape: [indices.count]).to(device: diffusion.device)
            let noise = try Tensor.randn(x0.shape, device: diffusion.device)
            batches.append((x0, t, noise))
        }
        try Torch.setRNGState(savedState)
        self.batches = batches
    }

    /// Runs the network on every held-out batch without recording gradients.
    public func evaluate(_ network: GaussianDiffusion.Network) throws -> Result {
        var errors: [Double] = []
        try withoutGrad {
            for batch in batches {
                errors += try diffusion.epsilonErrors(network, x0: batch.x0, t: batch.t, noise: batch.noise).doubles()
            }
        }
        var sums = [Double](repeating: 0, count: bucketCount)
        var counts = [Int](repeating: 0, count: bucketCount)
        for (error, bucket) in zip(errors, bucketOfSample) {
            sums[bucket] += error
            counts[bucket] += 1
        }
        let buckets = zip(sums, counts).map { $1 > 0 ? $0 / Double($1) : .nan }
        return Result(loss: errors.reduce(0, +) / Double(errors.count), bucketLosses: buckets)
    }
}
