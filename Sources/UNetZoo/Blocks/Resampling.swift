import Torch

/// Halves height and width with Conv2d(c, c, 4, stride 2, padding 1), the reference downsample.
public final class ConvDownsample: UNetBlock {
    public let conv: Conv2d

    public init(channels: Int, device: Device = .cpu) throws {
        conv = try Conv2d(channels, channels, kernelSize: 4, stride: 2, padding: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor { try conv(x) }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("conv", conv)) }

    /// Returns the analytic cost of one sample; the output is half the height and width (rounded down).
    public static func cost(_ context: BlockContext) -> BlockCost {
        .conv2d(context.inputChannels, context.inputChannels, kernelSize: 4, outputHeight: context.height / 2, outputWidth: context.width / 2)
    }
}

/// Doubles height and width with ConvTranspose2d(c, c, 4, stride 2, padding 1), the reference upsample.
public final class TransposedConvUpsample: UNetBlock {
    public let transConv: ConvTranspose2d

    public init(channels: Int, device: Device = .cpu) throws {
        transConv = try ConvTranspose2d(channels, channels, kernelSize: 4, stride: 2, padding: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor { try transConv(x) }

    public var namedParameters: [(name: String, tensor: Tensor)] { childParameters(("trans_conv", transConv)) }

    /// Returns the analytic cost of one sample; the output is twice the height and width.
    public static func cost(_ context: BlockContext) -> BlockCost {
        .convTranspose2d(
            context.inputChannels, context.inputChannels, kernelSize: 4, inputHeight: context.height, inputWidth: context.width,
            outputHeight: context.height * 2, outputWidth: context.width * 2)
    }
}
