/// A fully connected layer over the last dimension, initialised like `torch.nn.Linear`.
public final class Linear: Module {
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inputFeatures: Int, _ outputFeatures: Int, bias: Bool = true, device: Device = .cpu) throws {
        let bound = defaultInitBound(fanIn: inputFeatures)
        self.weight = try uniformParameter([outputFeatures, inputFeatures], bound: bound, device: device)
        self.bias = bias ? try uniformParameter([outputFeatures], bound: bound, device: device) : nil
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.linear(x, weight: weight, bias: bias)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }
}

/// Group normalisation with a learned per-channel affine transform (weight 1, bias 0 at start).
public final class GroupNorm: Module {
    public let groups: Int
    public let channels: Int
    public let eps: Double
    public let weight: Tensor
    public let bias: Tensor

    /// - Throws: `TorchError` when `channels` is not divisible by `groups`, naming both and the groups that divide.
    public init(groups: Int, channels: Int, eps: Double = 1e-5, device: Device = .cpu) throws {
        guard groups > 0, channels % groups == 0 else {
            let divisors = (1...max(channels, 1)).filter { channels % $0 == 0 }.map(String.init)
            throw TorchError(
                operation: "GroupNorm",
                message: "\(channels) channels are not divisible by \(groups) groups; groups that divide \(channels): \(divisors.joined(separator: ", "))")
        }
        self.groups = groups
        self.channels = channels
        self.eps = eps
        self.weight = try constantParameter([channels], value: 1, device: device)
        self.bias = try constantParameter([channels], value: 0, device: device)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try Functional.groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight), ("bias", bias)]
    }
}
