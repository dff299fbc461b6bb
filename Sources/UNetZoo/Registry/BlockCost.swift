/// The analytic cost of one block for one sample, computed from its context without allocating.
///
/// - `parameters`: scalar parameters, equal to the built block's `parameterCount`.
/// - `macs`: multiply-accumulates of convolutions, linear layers and the matrix products of
///   attention; normalisations, activations, softmax and additions are not counted.
/// - `activations`: elements of the tensors the forward pass produces (outputs of convolutions,
///   normalisations, activations, additions and attention products). This estimates the memory
///   autograd keeps in training; it is not a measurement of libtorch's allocator.
public struct BlockCost: Equatable, Sendable {
    public var parameters: Int
    public var macs: Int
    public var activations: Int

    public init(parameters: Int = 0, macs: Int = 0, activations: Int = 0) {
        self.parameters = parameters
        self.macs = macs
        self.activations = activations
    }

    public static let zero = BlockCost()

    public static func + (left: BlockCost, right: BlockCost) -> BlockCost {
        BlockCost(
            parameters: left.parameters + right.parameters, macs: left.macs + right.macs,
            activations: left.activations + right.activations)
    }

    public static func += (left: inout BlockCost, right: BlockCost) {
        left = left + right
    }

    /// A 2-D convolution with a square kernel, given its output height and width.
    public static func conv2d(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, outputHeight: Int, outputWidth: Int,
        groups: Int = 1, bias: Bool = true
    ) -> BlockCost {
        let weights = outputChannels * (inputChannels / max(groups, 1)) * kernelSize * kernelSize
        let positions = outputHeight * outputWidth
        return BlockCost(
            parameters: weights + (bias ? outputChannels : 0), macs: weights * positions,
            activations: outputChannels * positions)
    }

    /// A 2-D transposed convolution with a square kernel: every input position multiplies the whole kernel.
    public static func convTranspose2d(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, inputHeight: Int, inputWidth: Int,
        outputHeight: Int, outputWidth: Int, bias: Bool = true
    ) -> BlockCost {
        let weights = inputChannels * outputChannels * kernelSize * kernelSize
        return BlockCost(
            parameters: weights + (bias ? outputChannels : 0), macs: weights * inputHeight * inputWidth,
            activations: outputChannels * outputHeight * outputWidth)
    }

    /// A linear layer applied to one feature vector.
    public static func linear(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true) -> BlockCost {
        BlockCost(
            parameters: inputFeatures * outputFeatures + (bias ? outputFeatures : 0),
            macs: inputFeatures * outputFeatures, activations: outputFeatures)
    }

    /// A GroupNorm with an affine weight and bias per channel.
    public static func groupNorm(channels: Int, elements: Int) -> BlockCost {
        BlockCost(parameters: 2 * channels, activations: elements)
    }

    /// An operation without parameters or counted MACs (activation, addition, softmax, reshuffle) that produces `elements`.
    public static func elementwise(_ elements: Int) -> BlockCost {
        BlockCost(activations: elements)
    }

    /// A batched matrix product of `count` pairs of (rows × inner) and (inner × columns) matrices.
    public static func matmul(count: Int, rows: Int, inner: Int, columns: Int) -> BlockCost {
        BlockCost(macs: count * rows * inner * columns, activations: count * rows * columns)
    }
}
