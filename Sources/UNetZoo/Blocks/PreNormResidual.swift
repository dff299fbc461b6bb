import Torch

/// `x + f(GroupNorm(1, channels)(x))`: the wrapper the reference puts around every attention.
///
/// Parameters are named as the reference's `Residual(PreNorm(dim, fn))` nesting: `fn.norm.*` and `fn.fn.*`.
public final class PreNormResidual: UNetBlock {
    public let norm: GroupNorm
    public let inner: UNetBlock

    public init(channels: Int, inner: UNetBlock, device: Device = .cpu) throws {
        norm = try GroupNorm(groups: 1, channels: channels, device: device)
        self.inner = inner
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        try inner(norm(x), time: time) + x
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("fn.fn", inner), ("fn.norm", norm))
    }

    /// Returns the cost of the norm and the residual addition around an inner block of cost `inner`.
    public static func cost(channels: Int, height: Int, width: Int, inner: BlockCost) -> BlockCost {
        let features = channels * height * width
        return .groupNorm(channels: channels, elements: features) + inner + .elementwise(features)
    }
}

/// Passes its input through; used for `attention: none` and the last level's missing downsample.
public final class Identity: UNetBlock {
    public init() {}

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor { x }

    public var namedParameters: [(name: String, tensor: Tensor)] { [] }
}
