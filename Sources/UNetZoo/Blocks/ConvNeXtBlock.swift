import Torch

/// The ConvNeXt-style residual block of the Annotated Diffusion U-Net (Liu et al., 2022, "A ConvNet
/// for the 2020s", adapted to diffusion).
///
/// `h = ds_conv(x)`, a depthwise 7×7 convolution; `h += mlp(time)` (GELU then Linear to the input
/// channels) broadcast over height and width; then `net`: GroupNorm(1) (when `norm`), 3×3 conv to
/// `mult` × output channels, GELU, GroupNorm(1), 3×3 conv to the output channels. Output
/// `h + res_conv(x)`, a 1×1 convolution when the channel count changes. Parameter names follow the
/// reference's `nn.Sequential` indices: `mlp.1`, `ds_conv`, `net.0`, `net.1`, `net.3`, `net.4`, `res_conv`.
public final class ConvNeXtBlock: UNetBlock {
    public static let mult = BlockParameter("mult", .int, default: .int(2), doc: "Width of the hidden 3x3 convolution as a multiple of the output channels")
    public static let norm = BlockParameter("norm", .bool, default: .bool(true), doc: "Whether a GroupNorm(1) precedes the first 3x3 convolution")

    public let timeProjection: Linear?
    public let depthwiseConv: Conv2d
    public let inputNorm: GroupNorm?
    public let conv1: Conv2d
    public let hiddenNorm: GroupNorm
    public let conv2: Conv2d
    public let resConv: Conv2d?

    public init(_ inputChannels: Int, _ outputChannels: Int, timeDim: Int?, mult: Int = 2, norm: Bool = true, device: Device = .cpu) throws {
        let hidden = outputChannels * mult
        timeProjection = try timeDim.map { try Linear($0, inputChannels, device: device) }
        depthwiseConv = try Conv2d(inputChannels, inputChannels, kernelSize: 7, padding: 3, groups: inputChannels, device: device)
        inputNorm = norm ? try GroupNorm(groups: 1, channels: inputChannels, device: device) : nil
        conv1 = try Conv2d(inputChannels, hidden, kernelSize: 3, padding: 1, device: device)
        hiddenNorm = try GroupNorm(groups: 1, channels: hidden, device: device)
        conv2 = try Conv2d(hidden, outputChannels, kernelSize: 3, padding: 1, device: device)
        resConv = inputChannels != outputChannels
            ? try Conv2d(inputChannels, outputChannels, kernelSize: 1, device: device) : nil
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        var h = try depthwiseConv(x)

        if let timeProjection, let time {
            let condition = try timeProjection(time.gelu())
            h = try h + condition.reshaped(condition.shape + [1, 1])
        }

        if let inputNorm {
            h = try inputNorm(h)
        }
        h = try conv2(hiddenNorm(conv1(h).gelu()))
        return try h + (resConv?(x) ?? x)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(
            ("mlp.1", timeProjection), ("ds_conv", depthwiseConv), ("net.0", inputNorm), ("net.1", conv1),
            ("net.3", hiddenNorm), ("net.4", conv2), ("res_conv", resConv))
    }

    /// Returns the analytic cost of one sample; height and width are unchanged.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (input, output) = (context.inputChannels, context.outputChannels)
        let (height, width) = (context.height, context.width)
        let hidden = output * context.int(mult)
        let positions = height * width
        var cost = BlockCost.conv2d(input, input, kernelSize: 7, outputHeight: height, outputWidth: width, groups: input)

        if let timeDim = context.timeDim {
            cost += .elementwise(timeDim) + .linear(timeDim, input) + .elementwise(input * positions)
        }

        if context.bool(norm) {
            cost += .groupNorm(channels: input, elements: input * positions)
        }
        cost += .conv2d(input, hidden, kernelSize: 3, outputHeight: height, outputWidth: width)
        cost += .elementwise(hidden * positions) + .groupNorm(channels: hidden, elements: hidden * positions)
        cost += .conv2d(hidden, output, kernelSize: 3, outputHeight: height, outputWidth: width)

        if input != output {
            cost += .conv2d(input, output, kernelSize: 1, outputHeight: height, outputWidth: width)
        }
        return cost + .elementwise(output * positions)
    }
}
