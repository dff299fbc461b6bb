import Torch

/// A learned table of one `dim`-wide vector per timestep, followed by Linear → GELU → Linear.
///
/// Timesteps index the table (`0.weight`, shape (timesteps, dim)), so they must lie in
/// `0..<timesteps`. The forward pass checks them and throws `BlockInputError` otherwise. The MLP is
/// named `1` and `3` as in the reference time embedding.
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
    /// - Throws: `BlockInputError` when a timestep lies outside the table.
    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let index = try x.to(dtype: .int64)
        try checkTimesteps(index)
        let features = try table.indexSelect(dim: 0, index: index)
        return try linear2(linear1(features).gelu())
    }

    /// Checks that every timestep is a row of the table, because libtorch reports one outside it only
    /// as an index out of range. Reading the timesteps waits for the device once per call.
    private func checkTimesteps(_ index: Tensor) throws {
        let steps = try index.int64s()
        let rows = table.shape[0]
        if let largest = steps.max(), largest >= rows {
            throw BlockInputError(
                "the learned time embedding got timestep \(largest), but its table has \(rows) rows for timesteps 0 to \(rows - 1); set time_embedding_params.timesteps to at least \(largest + 1)")
        }
        if let smallest = steps.min(), smallest < 0 {
            throw BlockInputError(
                "the learned time embedding got timestep \(smallest), but its table has rows for timesteps 0 to \(rows - 1) only; use timesteps of at least 0")
        }
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
