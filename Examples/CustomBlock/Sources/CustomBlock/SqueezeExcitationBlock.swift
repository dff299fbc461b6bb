import Torch
import UNetZoo

/// The reference residual block followed by squeeze-and-excitation (Hu et al., 2018): the
/// channels of the output are rescaled by `sigmoid(Linear(SiLU(Linear(mean over H, W))))`.
final class SqueezeExcitationBlock: UNetBlock {
    static let reduction = BlockParameter("reduction", .int, default: .int(4), doc: "Channel reduction of the squeeze layer")

    let residual: ResNetBlock
    let squeeze: Linear
    let excite: Linear

    init(_ context: BlockContext) throws {
        let hidden = max(context.outputChannels / context.int(Self.reduction), 1)
        residual = try ResNetBlock(
            context.inputChannels, context.outputChannels, timeDim: context.timeDim, groups: context.groups, device: context.device)
        squeeze = try Linear(context.outputChannels, hidden, device: context.device)
        excite = try Linear(hidden, context.outputChannels, device: context.device)
    }

    func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let h = try residual(x, time: time)
        let weights = try excite(squeeze(h.mean(dims: [2, 3])).silu()).sigmoid()
        return try h * weights.reshaped(weights.shape + [1, 1])
    }

    var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("residual", residual), ("squeeze", squeeze), ("excite", excite))
    }

    /// Returns the analytic cost of one sample: the residual block, the two small linear layers
    /// and the rescaled output.
    static func cost(_ context: BlockContext) -> BlockCost {
        let channels = context.outputChannels
        let hidden = max(channels / context.int(reduction), 1)
        let features = channels * context.height * context.width
        return ResNetBlock.cost(context) + .elementwise(channels) + .linear(channels, hidden) + .elementwise(hidden)
            + .linear(hidden, channels) + .elementwise(channels) + .elementwise(features)
    }

    static let entry = BlockEntry(
        name: "mylab.se_resnet", slot: .block,
        summary: "Reference residual block with squeeze-and-excitation of its output channels",
        parameters: [reduction],
        check: { context in
            groupsDivide(context.outputChannels, context.groups)
                + (context.int(reduction) > 0 ? [] : ["the reduction must be at least 1, got \(context.int(reduction))"])
        },
        cost: cost
    ) { context in
        try SqueezeExcitationBlock(context)
    }
}
