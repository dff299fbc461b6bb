import Torch

/// Conv2d(3×3, padding 1) → GroupNorm → SiLU, the two halves of a ResNet block.
public final class ConvBlock: Module {
    public let proj: Conv2d
    public let norm: GroupNorm

    public init(_ inputChannels: Int, _ outputChannels: Int, groups: Int, device: Device = .cpu) throws {
        proj = try Conv2d(inputChannels, outputChannels, kernelSize: 3, padding: 1, device: device)
        norm = try GroupNorm(groups: groups, channels: outputChannels, device: device)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try norm(proj(x)).silu()
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("proj", proj), ("norm", norm))
    }
}

/// The reference residual block: two conv blocks with the time feature added in between.
///
/// `h = block1(x)`; `h += Linear(SiLU(time))` broadcast over height and width; `h = block2(h)`;
/// output `h + res_conv(x)`, where `res_conv` is a 1×1 convolution when the channel count changes
/// and the identity otherwise (He et al., 2016; Ho et al., 2020).
public final class ResNetBlock: UNetBlock {
    /// `mlp.1`: the projection of the time feature; nil for a block without time input.
    public let timeProjection: Linear?
    public let block1: ConvBlock
    public let block2: ConvBlock
    public let resConv: Conv2d?

    public init(_ inputChannels: Int, _ outputChannels: Int, timeDim: Int?, groups: Int, device: Device = .cpu) throws {
        timeProjection = try timeDim.map { try Linear($0, outputChannels, device: device) }
        block1 = try ConvBlock(inputChannels, outputChannels, groups: groups, device: device)
        block2 = try ConvBlock(outputChannels, outputChannels, groups: groups, device: device)
        resConv = inputChannels != outputChannels
            ? try Conv2d(inputChannels, outputChannels, kernelSize: 1, device: device) : nil
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        var h = try block1(x)

        if let timeProjection, let time {
            let shift = try timeProjection(time.silu())
            h = try h + shift.reshaped(shift.shape + [1, 1])
        }

        h = try block2(h)
        return try h + (resConv?(x) ?? x)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("mlp.1", timeProjection), ("block1", block1), ("block2", block2), ("res_conv", resConv))
    }

    /// Returns the analytic cost of one sample; height and width are unchanged.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (input, output) = (context.inputChannels, context.outputChannels)
        let (height, width) = (context.height, context.width)
        let features = output * height * width
        var cost = BlockCost.zero

        // block1 and block2: conv, norm, SiLU each
        for channels in [input, output] {
            cost += .conv2d(channels, output, kernelSize: 3, outputHeight: height, outputWidth: width)
            cost += .groupNorm(channels: output, elements: features) + .elementwise(features)
        }

        // time: SiLU, projection, broadcast addition
        if let timeDim = context.timeDim {
            cost += .elementwise(timeDim) + .linear(timeDim, output) + .elementwise(features)
        }

        if input != output {
            cost += .conv2d(input, output, kernelSize: 1, outputHeight: height, outputWidth: width)
        }
        return cost + .elementwise(features)
    }
}
