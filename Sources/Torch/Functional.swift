import CTorch

/// Stateless layer functions over NCHW tensors; the layer classes hold their weights and call these.
public enum Functional {
    /// 2-D convolution. `weight` is (out, in / groups, kh, kw); `bias` is (out) or nil.
    public static func conv2d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
        dilation: Int = 1, groups: Int = 1
    ) throws -> Tensor {
        let strides: [Int64] = [Int64(stride), Int64(stride)]
        let paddings: [Int64] = [Int64(padding), Int64(padding)]
        let dilations: [Int64] = [Int64(dilation), Int64(dilation)]
        return try makeTensor {
            ctorch_conv2d(x.handle, weight.handle, bias?.handle, strides, paddings, dilations, Int64(groups), $0)
        }
    }

    /// 2-D transposed convolution. `weight` is (in, out / groups, kh, kw).
    public static func convTranspose2d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0,
        outputPadding: Int = 0, groups: Int = 1
    ) throws -> Tensor {
        let strides: [Int64] = [Int64(stride), Int64(stride)]
        let paddings: [Int64] = [Int64(padding), Int64(padding)]
        let outputPaddings: [Int64] = [Int64(outputPadding), Int64(outputPadding)]
        return try makeTensor {
            ctorch_conv_transpose2d(
                x.handle, weight.handle, bias?.handle, strides, paddings, outputPaddings, Int64(groups), $0)
        }
    }

    /// `x · weightᵀ + bias` over the last dimension. `weight` is (out, in).
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try makeTensor { ctorch_linear(x.handle, weight.handle, bias?.handle, $0) }
    }

    /// Group normalisation over (C / groups, H, W) per sample (Wu and He, 2018).
    public static func groupNorm(
        _ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Double = 1e-5
    ) throws -> Tensor {
        try makeTensor { ctorch_group_norm(x.handle, Int64(groups), weight?.handle, bias?.handle, eps, $0) }
    }

    public static func avgPool2d(_ x: Tensor, kernel: Int, stride: Int) throws -> Tensor {
        try makeTensor { ctorch_avg_pool2d(x.handle, Int64(kernel), Int64(stride), $0) }
    }

    /// Nearest-neighbour resize of the two spatial dimensions.
    public static func upsampleNearest(_ x: Tensor, height: Int, width: Int) throws -> Tensor {
        try makeTensor { ctorch_upsample_nearest2d(x.handle, Int64(height), Int64(width), $0) }
    }

    /// (B, C·r², H, W) → (B, C, H·r, W·r).
    public static func pixelShuffle(_ x: Tensor, factor: Int) throws -> Tensor {
        try makeTensor { ctorch_pixel_shuffle(x.handle, Int64(factor), 0, $0) }
    }

    /// (B, C, H·r, W·r) → (B, C·r², H, W).
    public static func pixelUnshuffle(_ x: Tensor, factor: Int) throws -> Tensor {
        try makeTensor { ctorch_pixel_shuffle(x.handle, Int64(factor), 1, $0) }
    }

    /// Zeroes elements with `probability` and scales the rest by 1 / (1 - probability) when training.
    public static func dropout(_ x: Tensor, probability: Double, training: Bool) throws -> Tensor {
        try makeTensor { ctorch_dropout(x.handle, probability, training ? 1 : 0, $0) }
    }
}
