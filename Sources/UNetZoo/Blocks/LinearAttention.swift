import Torch

/// Multi-head attention whose cost is linear in the number of positions (Shen et al., 2021,
/// "Efficient Attention"), as in the reference U-Net's levels.
///
/// q is normalised by a softmax over its features, k by a softmax over positions; each head forms
/// a dim_head × dim_head context `Σ_n k[d, n] v[e, n]` and reads it with q. `to_out` is a 1×1
/// convolution followed by GroupNorm(1, channels).
public final class LinearAttention: UNetBlock {
    public let heads: Int
    public let dimHead: Int
    public let toQKV: Conv2d
    public let toOut: Conv2d
    public let outNorm: GroupNorm

    public init(channels: Int, heads: Int, dimHead: Int, device: Device = .cpu) throws {
        self.heads = heads
        self.dimHead = dimHead
        let hidden = heads * dimHead
        toQKV = try Conv2d(channels, hidden * 3, kernelSize: 1, bias: false, device: device)
        toOut = try Conv2d(hidden, channels, kernelSize: 1, device: device)
        outNorm = try GroupNorm(groups: 1, channels: channels, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let shape = x.shape
        let (batch, height, width) = (shape[0], shape[2], shape[3])
        let qkv = try toQKV(x).chunked(3, dim: 1).map { try $0.reshaped([batch, heads, dimHead, height * width]) }

        let q = try qkv[0].softmax(dim: -2) * (1 / Double(dimHead).squareRoot())
        let k = try qkv[1].softmax(dim: -1)
        let v = qkv[2]

        // context[d, e] = Σ_n k[d, n] v[e, n]; out[e, n] = Σ_d context[d, e] q[d, n]
        let context = try k.matmul(v.transposed(-1, -2))
        let out = try context.transposed(-1, -2).matmul(q)

        return try outNorm(toOut(out.reshaped([batch, heads * dimHead, height, width])))
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("to_qkv", toQKV), ("to_out.0", toOut), ("to_out.1", outNorm))
    }

    /// Returns the analytic cost of one sample over `channels` × `height` × `width` input.
    public static func cost(channels: Int, height: Int, width: Int, heads: Int, dimHead: Int) -> BlockCost {
        let positions = height * width
        let hidden = heads * dimHead
        var cost = BlockCost.conv2d(channels, hidden * 3, kernelSize: 1, outputHeight: height, outputWidth: width, bias: false)

        // softmax and scale of q, softmax of k
        cost += .elementwise(3 * hidden * positions)

        // context = k vᵀ per head, then contextᵀ q
        cost += .matmul(count: heads, rows: dimHead, inner: positions, columns: dimHead)
        cost += .matmul(count: heads, rows: dimHead, inner: dimHead, columns: positions)

        cost += .conv2d(hidden, channels, kernelSize: 1, outputHeight: height, outputWidth: width)
        return cost + .groupNorm(channels: channels, elements: channels * positions)
    }
}
