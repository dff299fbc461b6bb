import Torch

/// The DDPM forward process, training objective and samplers for one schedule and prediction target.
///
/// Images are NCHW in [-1, 1]; timesteps are int64 in 0..<T. The network is any function of
/// (x_t, t) that returns a tensor shaped like x_t.
public struct GaussianDiffusion {
    public typealias Network = (_ x: Tensor, _ t: Tensor) throws -> Tensor

    public let schedule: NoiseSchedule
    public let prediction: PredictionTarget
    public let loss: DiffusionLoss
    public let device: Device

    private let sqrtAlphaBars: Tensor
    private let sqrtOneMinusAlphaBars: Tensor

    public init(schedule: NoiseSchedule, prediction: PredictionTarget = .epsilon, loss: DiffusionLoss = .huber, device: Device = .cpu) throws {
        self.schedule = schedule
        self.prediction = prediction
        self.loss = loss
        self.device = device
        let count = schedule.timesteps
        sqrtAlphaBars = try Tensor(schedule.alphaBars.map { Float($0.squareRoot()) }, shape: [count]).to(device: device)
        sqrtOneMinusAlphaBars = try Tensor(schedule.alphaBars.map { Float((1 - $0).squareRoot()) }, shape: [count]).to(device: device)
    }

    public var timesteps: Int { schedule.timesteps }

    /// Per-sample values of a (T) table at timesteps `t` (B), shaped (B, 1, 1, 1) to broadcast over images.
    private func gather(_ table: Tensor, _ t: Tensor) throws -> Tensor {
        try table.indexSelect(dim: 0, index: t).reshaped([-1, 1, 1, 1])
    }

    /// Samples x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε.
    public func qSample(_ x0: Tensor, t: Tensor, noise: Tensor) throws -> Tensor {
        try gather(sqrtAlphaBars, t) * x0 + gather(sqrtOneMinusAlphaBars, t) * noise
    }

    /// What the network should output for x_0 noised with `noise` at `t`.
    public func target(x0: Tensor, noise: Tensor, t: Tensor) throws -> Tensor {
        switch prediction {
        case .epsilon: noise
        case .x0: x0
        case .v: try gather(sqrtAlphaBars, t) * noise - gather(sqrtOneMinusAlphaBars, t) * x0
        }
    }

    /// The noise estimate ε̂ implied by a network output at x_t, whatever the prediction target.
    public func epsilon(from output: Tensor, xt: Tensor, t: Tensor) throws -> Tensor {
        switch prediction {
        case .epsilon:
            return output
        case .x0:
            return try (xt - gather(sqrtAlphaBars, t) * output) / gather(sqrtOneMinusAlphaBars, t)
        case .v:
            return try gather(sqrtAlphaBars, t) * output + gather(sqrtOneMinusAlphaBars, t) * xt
        }
    }

    /// The training loss of one batch at the given timesteps and noise.
    public func trainingLoss(_ network: Network, x0: Tensor, t: Tensor, noise: Tensor) throws -> Tensor {
        let xt = try qSample(x0, t: t, noise: noise)
        let output = try network(xt, t)
        return try loss(output, target(x0: x0, noise: noise, t: t))
    }

    /// The training loss of one batch with timesteps and noise drawn from libtorch's default generator.
    public func trainingLoss(_ network: Network, x0: Tensor) throws -> Tensor {
        let t = try Tensor.randint(0, timesteps, shape: [x0.shape[0]], device: device)
        let noise = try Tensor.randn(x0.shape, device: device)
        return try trainingLoss(network, x0: x0, t: t, noise: noise)
    }

    /// Per-sample mean squared error between ε and the implied ε̂ (B), the number that compares
    /// variants with different prediction targets and losses.
    public func epsilonErrors(_ network: Network, x0: Tensor, t: Tensor, noise: Tensor) throws -> Tensor {
        let xt = try qSample(x0, t: t, noise: noise)
        let estimate = try epsilon(from: network(xt, t), xt: xt, t: t)
        return try (estimate - noise).square().mean(dims: [1, 2, 3])
    }
}
