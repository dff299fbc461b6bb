import Torch

/// Multi-head scaled dot-product self-attention over all positions (Vaswani et al., 2017), the
/// reference U-Net's middle attention. Memory and time grow with the square of H·W.
public final class DotProductAttention: UNetBlock {
    public let heads: Int
    public let dimHead: Int
    public let toQKV: Conv2d
    public let toOut: Conv2d

    public init(channels: Int, heads: Int, dimHead: Int, device: Device = .cpu) throws {
        self.heads = heads
        self.dimHead = dimHead
        let hidden = heads * dimHead
        toQKV = try Conv2d(channels, hidden * 3, kernelSize: 1, bias: false, device: device)
        toOut = try Conv2d(hidden, channels, kernelSize: 1, device: device)
    }

    public func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor {
        let shape = x.shape
        let (batch, height, width) = (shape[0], shape[2], shape[3])
        let qkv = try toQKV(x).chunked(3, dim: 1).map { try $0.reshaped([batch, heads, dimHead, height * width]) }
        let q = try qkv[0] * (1 / Double(dimHead).squareRoot())

        // similarity[i, j] = Σ_d q[d, i] k[d, j], stabilised by its detached row maximum as in the reference
        var similarity = try q.transposed(-1, -2).matmul(qkv[1])
        similarity = try similarity - similarity.max(dims: [-1], keepDims: true).detached()
        let attention = try similarity.softmax(dim: -1)

        // out[i, d] = Σ_j attention[i, j] v[d, j], then channels ordered head-major
        let out = try attention.matmul(qkv[2].transposed(-1, -2))
        let merged = try out.permuted([0, 1, 3, 2]).reshaped([batch, heads * dimHead, height, width])
        return try toOut(merged)
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        childParameters(("to_qkv", toQKV), ("to_out", toOut))
    }

    /// Returns the analytic cost of one sample over `channels` × `height` × `width` input; the two
    /// N × N products per head (N = height · width) dominate at high resolution.
    public static func cost(channels: Int, height: Int, width: Int, heads: Int, dimHead: Int) -> BlockCost {
        let positions = height * width
        let hidden = heads * dimHead
        var cost = BlockCost.conv2d(channels, hidden * 3, kernelSize: 1, outputHeight: height, outputWidth: width, bias: false)

        // scaled q, then similarity qᵀ k, its shift by the row maximum and the softmax
        cost += .elementwise(hidden * positions)
        cost += .matmul(count: heads, rows: positions, inner: dimHead, columns: positions)
        cost += .elementwise(2 * heads * positions * positions)

        // attention · vᵀ, then the head-major copy
        cost += .matmul(count: heads, rows: positions, inner: positions, columns: dimHead)
        cost += .elementwise(hidden * positions)

        return cost + .conv2d(hidden, channels, kernelSize: 1, outputHeight: height, outputWidth: width)
    }
}
