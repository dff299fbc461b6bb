/// A 2-D convolution over NCHW input with square kernels, initialised like `torch.nn.Conv2d`.
public final class Conv2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let groups: Int

    /// - Parameters:
    ///   - inputChannels: channels of the input (C of NCHW).
    ///   - outputChannels: channels of the output.
    ///   - kernelSize: side of the square kernel.
    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        groups: Int = 1, bias: Bool = true, device: Device = .cpu
    ) throws {
        let fanIn = inputChannels / groups * kernelSize * kernelSize
        let bound = defaultInitBound(fanIn: fanIn)
        self.weight = try uniformParameter(
            [outputChannels, inputChannels / groups, kernelSize, kernelSize], bound: bound, device: device)
        self.bias = bias ? try uniformParameter([outputChannels], bound: bound, device: device) : nil
        self.stride = stride
        self.padding = padding
        self.groups = groups
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, groups: groups)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

/// A 2-D transposed convolution, initialised like `torch.nn.ConvTranspose2d`.
public final class ConvTranspose2d: Module {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(
        _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
        bias: Bool = true, device: Device = .cpu
    ) throws {
        // PyTorch computes fan_in from dimension 1 of the (in, out, kh, kw) weight, that is from the output channels.
        let fanIn = outputChannels * kernelSize * kernelSize
        let bound = defaultInitBound(fanIn: fanIn)
        self.weight = try uniformParameter(
            [inputChannels, outputChannels, kernelSize, kernelSize], bound: bound, device: device)
        self.bias = bias ? try uniformParameter([outputChannels], bound: bound, device: device) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}
