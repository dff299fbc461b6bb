import Torch

/// The residual block of improved diffusion with `use_scale_shift_norm` (Nichol and Dhariwal, 2021).
///
/// `h = in_layers(x)`: GroupNorm, SiLU, 3×3 conv. The time feature goes through SiLU and a Linear
/// to 2 × output channels, split into `scale` and `shift`; then `h = norm(h) · (1 + scale) + shift`,
/// SiLU, dropout and a 3×3 conv whose weights start at zero, so the block starts as its skip path.
/// Output `skip_connection(x) + h`, a 1×1 convolution when the channel count changes. Without a time
/// feature the norm is applied alone. Parameter names follow improved diffusion: `in_layers.0/.2`,
/// `emb_layers.1`, `out_layers.0/.3`, `skip_connection`.
public final class ScaleShiftResNetBlock: UNetBlock, TrainingModeSwitchable {
    public static let dropout = BlockParameter("dropout", .float, default: .float(0), doc: "Dropout probability before the second convolution, applied only in training mode")

    public let inputNorm: GroupNorm
    public let inputConv: Conv2d
    public let timeProjection: Linear?
    public let outputNorm: GroupNorm
    public let outputConv: Conv2d
    public let skipConnection: Conv2d?
    public let dropoutProbability: Double
    /// Dropout is applied only while this is true; `UNet.setTraining(_:)` switches it.
    public var isTraining = false

    public init(_ inputChannels: Int, _ outputChannels: Int, timeDim: Int?, groups: Int, dropout: Double = 0, device: Device = .cpu) throws {
        inputNorm = try GroupNorm(groups: groups, channels: inputChannels, device: device)
        inputConv = try Conv2d(inputChannels, outputChannels, kernelSize: 3, padding: 1, device: device)
        timeProjection = try timeDim.map { try Linear($0, 2 * outputChannels, device: device) }
        outputNorm = try GroupNorm(groups: groups, channels: outputChannels, device: device)
        outputConv = try Conv2d(outputChannels, outputChannels, kernelSize: 3, padding: 1, device: device)
        try outputConv.weight.copy(from: Tensor.zeros(outputConv.weight.shape, device: device))
        if let bias = outputConv.bias {
            try bias.copy(from: Tensor.zeros(bias.shape, device: device))
        }
        skipConnection = inputChannels != outputChannels
            ? try Conv2d(inputChannels, outputChannels, kernelSize: 1, device: device) : nil
        dropoutProbability = dropout
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        var h = try inputConv(inputNorm(x).silu())

        // scale and shift after the norm
        h = try outputNorm(h)
        if let timeProjection, let time {
            let halves = try timeProjection(time.silu()).chunked(2, dim: 1)
            let scale = try halves[0].reshaped(halves[0].shape + [1, 1])
            let shift = try halves[1].reshaped(halves[1].shape + [1, 1])
            h = try h * (scale + 1) + shift
        }

        h = try Functional.dropout(h.silu(), probability: dropoutProbability, training: isTraining)
        return try (skipConnection?(x) ?? x) + outputConv(h)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(
            ("in_layers.0", inputNorm), ("in_layers.2", inputConv), ("emb_layers.1", timeProjection),
            ("out_layers.0", outputNorm), ("out_layers.3", outputConv), ("skip_connection", skipConnection))
    }

    /// Returns the analytic cost of one sample; height and width are unchanged.
    public static func cost(_ context: BlockContext) -> BlockCost {
        let (input, output) = (context.inputChannels, context.outputChannels)
        let (height, width) = (context.height, context.width)
        let positions = height * width
        var cost = BlockCost.groupNorm(channels: input, elements: input * positions) + .elementwise(input * positions)
        cost += .conv2d(input, output, kernelSize: 3, outputHeight: height, outputWidth: width)
        cost += .groupNorm(channels: output, elements: output * positions)

        // SiLU and projection of the time feature, then the scaling and the shift
        if let timeDim = context.timeDim {
            cost += .elementwise(timeDim) + .linear(timeDim, 2 * output) + .elementwise(2 * output * positions)
        }

        // SiLU, dropout, the second convolution and the skip addition
        cost += .elementwise(2 * output * positions)
        cost += .conv2d(output, output, kernelSize: 3, outputHeight: height, outputWidth: width)
        if input != output {
            cost += .conv2d(input, output, kernelSize: 1, outputHeight: height, outputWidth: width)
        }
        return cost + .elementwise(output * positions)
    }
}
