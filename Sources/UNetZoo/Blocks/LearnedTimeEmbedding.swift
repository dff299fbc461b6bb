import Torch

/// A learned table of one `dim`-wide vector per timestep, followed by Linear → GELU → Linear.
///
/// Timesteps index the table (`0.weight`, shape (timesteps, dim)), so they must lie in
/// `0..<timesteps`; libtorch rejects others with an index error. The MLP is named `1` and `3` as
/// in the reference time embedding.
public final class LearnedTimeEmbedding: UNetBlock {
    public static let timesteps = BlockParameter("timesteps", .int, default: .int(1000), doc: "Rows of the table; every timestep must be below it")

    public let table: Tensor
    public let linear1: Linear
    public let linear2: Linear

    public init(timesteps: Int, dim: Int, outputDim: Int, device: Device = .cpu) throws {
        // N(0, 1) rows, as torch.nn.Embedding initialises them
        table = try Tensor.randn([timesteps, dim], device: device).requiringGrad()
        linear1 = try Linear(dim, outputDim, device: device)
        linear2 = try Linear(outputDim, outputDim, device: device)
    }

    /// - Parameter x: integer timesteps of shape (B).
    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let features = try table.indexSelect(dim: 0, index: x.to(dtype: .int64))
        return try linear2(linear1(features).gelu())
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("0.weight", table)] + childParameters(("1", linear1), ("3", linear2))
    }

    /// Returns the analytic cost of one timestep.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (dim, outputDim) = (context.inputChannels, context.outputChannels)
        return BlockCost(parameters: context.int(timesteps) * dim, activations: dim)
            + .linear(dim, outputDim) + .elementwise(outputDim) + .linear(outputDim, outputDim)
    }
}
