import Foundation
import Torch

/// Random Fourier features of the timestep (Tancik et al., 2020; Song et al., 2021), followed by
/// Linear → GELU → Linear.
///
/// Frequencies `w` (dim / 2 of them, `0.frequencies`) are drawn from N(0, scale²) at build time;
/// the features are `[sin(2π t w), cos(2π t w)]`. They stay fixed unless `learned` is true.
/// NOTE: fixed frequencies (`learned: false`) are listed in `namedParameters` so that saved weights
/// include them, since a rebuilt block draws new ones. They do not require gradients, so an
/// optimizer must skip tensors without a gradient. PyTorch would keep them as a buffer instead:
/// here `parameterCount`, the profiler and the size guard count them, dim / 2 more than
/// PyTorch's `parameters()` would, until `Module` has buffers of its own.
public final class FourierTimeEmbedding: UNetBlock {
    public static let scale = BlockParameter("scale", .float, default: .float(16), doc: "Standard deviation of the random frequencies")
    public static let learned = BlockParameter("learned", .bool, default: .bool(false), doc: "Whether the frequencies are trained with the network")

    public let frequencies: Tensor
    public let linear1: Linear
    public let linear2: Linear

    public init(dim: Int, outputDim: Int, scale: Double, learned: Bool, device: Device = .cpu) throws {
        frequencies = try (Tensor.randn([dim / 2], device: device) * scale).requiringGrad(learned)
        linear1 = try Linear(dim / 2 * 2, outputDim, device: device)
        linear2 = try Linear(outputDim, outputDim, device: device)
    }

    /// - Parameter x: timesteps of shape (B), any numeric dtype.
    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let half = frequencies.shape[0]
        let batch = x.shape[0]
        let arguments = try x.to(dtype: .float32).reshaped([batch, 1]) * frequencies.reshaped([1, half]) * (2 * Double.pi)
        let features = try Tensor.cat([arguments.sin(), arguments.cos()], dim: -1)
        return try linear2(linear1(features).gelu())
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("0.frequencies", frequencies)] + childParameters(("1", linear1), ("3", linear2))
    }

    /// Returns the analytic cost of one timestep. The products t · w count as dim / 2 MACs. The
    /// activations are t · w, its 2π multiple, the sines, the cosines and their concatenation.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let half = context.inputChannels / 2
        let outputDim = context.outputChannels
        return BlockCost(parameters: half, macs: half, activations: 3 * half * 2)
            + .linear(half * 2, outputDim) + .elementwise(outputDim) + .linear(outputDim, outputDim)
    }
}
