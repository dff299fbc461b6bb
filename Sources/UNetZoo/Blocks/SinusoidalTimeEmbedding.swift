import Foundation
import Torch

/// The reference time embedding: sinusoidal features of the timestep, then Linear → GELU → Linear.
///
/// For width d and half = d / 2, frequencies are `f_k = exp(-k · ln(10000) / (half - 1))`,
/// k = 0..<half, and the features are all sines then all cosines of `t · f_k` (Vaswani et al., 2017).
/// The MLP's layers are named `1` and `3` as in the reference `nn.Sequential`.
public final class SinusoidalTimeEmbedding: UNetBlock {
    public let dim: Int
    public let linear1: Linear
    public let linear2: Linear

    /// - Parameters:
    ///   - dim: the sinusoidal width, even and at least 4 (half - 1 divides the exponent).
    ///   - outputDim: the width of the time feature.
    public init(dim: Int, outputDim: Int, device: Device = .cpu) throws {
        self.dim = dim
        linear1 = try Linear(dim, outputDim, device: device)
        linear2 = try Linear(outputDim, outputDim, device: device)
    }

    /// - Parameter x: timesteps of shape (B), any numeric dtype.
    /// - Returns: the time feature of shape (B, outputDim).
    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let features = try Self.sinusoidal(x, dim: dim)
        return try linear2(linear1(features).gelu())
    }

    /// The sinusoidal features alone, shape (B, 2 · (dim / 2)).
    public static func sinusoidal(_ timesteps: Tensor, dim: Int) throws -> Tensor {
        let half = dim / 2
        let scale = Foundation.log(10000.0) / Double(half - 1)
        let frequencies = try (Tensor.arange(0, Double(half), device: timesteps.device) * -scale).exp()
        let batch = timesteps.shape[0]
        let arguments = try timesteps.to(dtype: .float32).reshaped([batch, 1]) * frequencies.reshaped([1, half])
        return try Tensor.cat([arguments.sin(), arguments.cos()], dim: -1)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("1", linear1), ("3", linear2))
    }

    /// Returns the analytic cost of one timestep: the features, then Linear, GELU, Linear.
    public static func cost(dim: Int, outputDim: Int) -> BlockCost {
        .elementwise(dim / 2 * 2) + .linear(dim, outputDim) + .elementwise(outputDim) + .linear(outputDim, outputDim)
    }
}
