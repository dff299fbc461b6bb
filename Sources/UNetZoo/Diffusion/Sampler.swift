import Torch

/// How images are drawn from a trained network.
public enum SamplerKind: String, CaseIterable, Sendable {
    /// Ancestral DDPM sampling over every step (Ho et al., 2020).
    case ddpm
    /// Deterministic DDIM (η = 0) over an evenly spaced subset of the steps (Song et al., 2021).
    case ddim
}

extension GaussianDiffusion {
    /// Draws images of `shape` (B, C, H, W), starting from N(0, 1) noise of libtorch's default generator
    /// (seed it first for reproducible samples). The result is clamped to [-1, 1].
    ///
    /// - Parameter steps: network evaluations for DDIM; DDPM always takes all T steps.
    public func sample(_ network: Network, shape: [Int], sampler: SamplerKind, steps: Int? = nil) throws -> Tensor {
        try withoutGrad {
            var x = try Tensor.randn(shape, device: device)
            switch sampler {
            case .ddpm:
                for step in stride(from: timesteps - 1, through: 0, by: -1) {
                    x = try ddpmStep(network, x: x, step: step)
                }
            case .ddim:
                let sequence = Self.ddimSteps(timesteps: timesteps, count: steps ?? timesteps)
                for (index, step) in sequence.enumerated() {
                    let previous = index + 1 < sequence.count ? sequence[index + 1] : -1
                    x = try ddimStep(network, x: x, step: step, previous: previous)
                }
            }
            return try x.clamp(-1, 1)
        }
    }

    /// x_{t−1} = 1/√α_t (x_t − β_t/√(1−ᾱ_t) ε̂) + √β̃_t z, with no noise added at t = 0.
    private func ddpmStep(_ network: Network, x: Tensor, step: Int) throws -> Tensor {
        let batch = x.shape[0]
        let t = try Tensor.full([batch], value: Double(step), dtype: .int64, device: device)
        let estimate = try epsilon(from: network(x, t), xt: x, t: t)
        let beta = schedule.betas[step]
        let alpha = schedule.alphas[step]
        let alphaBar = schedule.alphaBars[step]
        let mean = try (x - estimate * (beta / (1 - alphaBar).squareRoot())) * (1 / alpha.squareRoot())
        guard step > 0 else { return mean }
        let noise = try Tensor.randn(x.shape, device: device)
        return try mean + noise * schedule.posteriorVariance(step).squareRoot()
    }

    /// One DDIM update with η = 0 from timestep `step` to `previous` (−1 means the clean image).
    private func ddimStep(_ network: Network, x: Tensor, step: Int, previous: Int) throws -> Tensor {
        let batch = x.shape[0]
        let t = try Tensor.full([batch], value: Double(step), dtype: .int64, device: device)
        let estimate = try epsilon(from: network(x, t), xt: x, t: t)
        let alphaBar = schedule.alphaBars[step]
        let previousAlphaBar = previous >= 0 ? schedule.alphaBars[previous] : 1
        let predictedX0 = try (x - estimate * (1 - alphaBar).squareRoot()) * (1 / alphaBar.squareRoot())
        return try predictedX0 * previousAlphaBar.squareRoot() + estimate * (1 - previousAlphaBar).squareRoot()
    }

    /// `count` timesteps from T − 1 down to 0, evenly spaced, each used once.
    static func ddimSteps(timesteps: Int, count: Int) -> [Int] {
        let used = Swift.max(1, Swift.min(count, timesteps))
        guard used > 1 else { return [timesteps - 1] }
        let spaced = (0..<used).map { Int((Double($0) * Double(timesteps - 1) / Double(used - 1)).rounded()) }
        return Array(Set(spaced)).sorted(by: >)
    }
}
