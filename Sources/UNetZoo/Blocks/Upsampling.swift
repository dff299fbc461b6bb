import Torch

/// Doubles height and width with nearest-neighbour upsampling, then a 3×3 convolution (padding 1).
public final class NearestConvUpsample: UNetBlock {
    public let conv: Conv2d

    public init(_ inputChannels: Int, _ outputChannels: Int, device: Device = .cpu) throws {
        conv = try Conv2d(inputChannels, outputChannels, kernelSize: 3, padding: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let shape = x.shape
        return try conv(Functional.upsampleNearest(x, height: shape[2] * 2, width: shape[3] * 2))
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("conv", conv)) }

    /// Returns the analytic cost of one sample; the output is twice the height and width.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (height, width) = (context.height * 2, context.width * 2)
        return .elementwise(context.inputChannels * height * width)
            + .conv2d(context.inputChannels, context.outputChannels, kernelSize: 3, outputHeight: height, outputWidth: width)
    }
}

/// Doubles height and width with a 1×1 convolution to 4× the output channels followed by pixel
/// shuffle, which moves each group of 4 channels into a 2×2 patch (Shi et al., 2016).
public final class PixelShuffleUpsample: UNetBlock {
    public let conv: Conv2d

    public init(_ inputChannels: Int, _ outputChannels: Int, device: Device = .cpu) throws {
        conv = try Conv2d(inputChannels, outputChannels * 4, kernelSize: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        try Functional.pixelShuffle(conv(x), factor: 2)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("conv", conv)) }

    /// Returns the analytic cost of one sample; the output is twice the height and width.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let output = context.outputChannels * 4
        return .conv2d(context.inputChannels, output, kernelSize: 1, outputHeight: context.height, outputWidth: context.width)
            + .elementwise(output * context.height * context.width)
    }
}
