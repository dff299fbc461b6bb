import Torch

/// Halves height and width with 2×2 average pooling, then a 1×1 convolution where the channel count changes.
public final class AvgPoolDownsample: UNetBlock {
    public let conv: Conv2d?

    public init(_ inputChannels: Int, _ outputChannels: Int, device: Device = .cpu) throws {
        conv = inputChannels != outputChannels
            ? try Conv2d(inputChannels, outputChannels, kernelSize: 1, device: device) : nil
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let pooled = try Functional.avgPool2d(x, kernel: 2, stride: 2)
        return try conv?(pooled) ?? pooled
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("conv", conv)) }

    /// Returns the analytic cost of one sample; the output is half the height and width (rounded down).
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (height, width) = (context.height / 2, context.width / 2)
        var cost = BlockCost.elementwise(context.inputChannels * height * width)
        if context.inputChannels != context.outputChannels {
            cost += .conv2d(context.inputChannels, context.outputChannels, kernelSize: 1, outputHeight: height, outputWidth: width)
        }
        return cost
    }
}

/// Halves height and width by moving each 2×2 patch into channels (pixel unshuffle, 4× channels),
/// then a 1×1 convolution to the output channels, as in later lucidrains U-Nets.
public final class PixelUnshuffleDownsample: UNetBlock {
    public let conv: Conv2d

    public init(_ inputChannels: Int, _ outputChannels: Int, device: Device = .cpu) throws {
        conv = try Conv2d(inputChannels * 4, outputChannels, kernelSize: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        try conv(Functional.pixelUnshuffle(x, factor: 2))
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("conv", conv)) }

    /// Returns the analytic cost of one sample; height and width must be even.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (height, width) = (context.height / 2, context.width / 2)
        return .elementwise(4 * context.inputChannels * height * width)
            + .conv2d(4 * context.inputChannels, context.outputChannels, kernelSize: 1, outputHeight: height, outputWidth: width)
    }
}
