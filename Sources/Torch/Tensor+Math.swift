import CTorch

// Element-wise arithmetic, activations and reductions. Binary operations broadcast like PyTorch.

extension Tensor {
    func unary(_ op: ctorch_unary_op) throws -> Tensor {
        try makeTensor { ctorch_unary(Int32(op.rawValue), handle, $0) }
    }

    func binary(_ op: ctorch_binary_op, _ other: Tensor) throws -> Tensor {
        try makeTensor { ctorch_binary(Int32(op.rawValue), handle, other.handle, $0) }
    }

    func scalar(_ op: ctorch_scalar_op, _ value: Double) throws -> Tensor {
        try makeTensor { ctorch_scalar(Int32(op.rawValue), handle, value, $0) }
    }

    func reduce(_ op: ctorch_reduce_op, dims: [Int], keepDims: Bool) throws -> Tensor {
        let axes = dims.map(Int64.init)
        return try makeTensor { ctorch_reduce(Int32(op.rawValue), handle, axes, Int64(axes.count), keepDims ? 1 : 0, $0) }
    }

    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.binary(CTORCH_ADD, rhs) }
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.binary(CTORCH_SUB, rhs) }
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.binary(CTORCH_MUL, rhs) }
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor { try lhs.binary(CTORCH_DIV, rhs) }
    public static func + (lhs: Tensor, rhs: Double) throws -> Tensor { try lhs.scalar(CTORCH_ADD_SCALAR, rhs) }
    public static func - (lhs: Tensor, rhs: Double) throws -> Tensor { try lhs.scalar(CTORCH_ADD_SCALAR, -rhs) }
    public static func * (lhs: Tensor, rhs: Double) throws -> Tensor { try lhs.scalar(CTORCH_MUL_SCALAR, rhs) }
    public static func / (lhs: Tensor, rhs: Double) throws -> Tensor { try lhs.scalar(CTORCH_MUL_SCALAR, 1 / rhs) }
    public static func * (lhs: Double, rhs: Tensor) throws -> Tensor { try rhs.scalar(CTORCH_MUL_SCALAR, lhs) }
    public static prefix func - (operand: Tensor) throws -> Tensor { try operand.unary(CTORCH_NEG) }

    /// Matrix product with PyTorch's batching and broadcasting rules.
    public func matmul(_ other: Tensor) throws -> Tensor { try binary(CTORCH_MATMUL, other) }
    public func maximum(_ other: Tensor) throws -> Tensor { try binary(CTORCH_MAXIMUM, other) }
    public func minimum(_ other: Tensor) throws -> Tensor { try binary(CTORCH_MINIMUM, other) }
    public func pow(_ exponent: Double) throws -> Tensor { try scalar(CTORCH_POW_SCALAR, exponent) }
    public func clamp(min: Double) throws -> Tensor { try scalar(CTORCH_CLAMP_MIN, min) }
    public func clamp(max: Double) throws -> Tensor { try scalar(CTORCH_CLAMP_MAX, max) }
    public func clamp(_ min: Double, _ max: Double) throws -> Tensor { try clamp(min: min).clamp(max: max) }
    /// A tensor of the same shape, dtype and device filled with `value`.
    public func filled(with value: Double) throws -> Tensor { try scalar(CTORCH_FILL, value) }

    public func exp() throws -> Tensor { try unary(CTORCH_EXP) }
    public func log() throws -> Tensor { try unary(CTORCH_LOG) }
    public func sin() throws -> Tensor { try unary(CTORCH_SIN) }
    public func cos() throws -> Tensor { try unary(CTORCH_COS) }
    public func sqrt() throws -> Tensor { try unary(CTORCH_SQRT) }
    public func rsqrt() throws -> Tensor { try unary(CTORCH_RSQRT) }
    public func abs() throws -> Tensor { try unary(CTORCH_ABS) }
    public func square() throws -> Tensor { try unary(CTORCH_SQUARE) }
    public func silu() throws -> Tensor { try unary(CTORCH_SILU) }
    /// GELU with the exact erf form, PyTorch's default.
    public func gelu() throws -> Tensor { try unary(CTORCH_GELU) }
    public func relu() throws -> Tensor { try unary(CTORCH_RELU) }
    public func sigmoid() throws -> Tensor { try unary(CTORCH_SIGMOID) }
    public func tanh() throws -> Tensor { try unary(CTORCH_TANH) }
    /// A bool tensor, true where the element is neither infinite nor NaN.
    public func isFinite() throws -> Tensor { try unary(CTORCH_ISFINITE) }
    public func contiguous() throws -> Tensor { try unary(CTORCH_CONTIGUOUS) }
    public func clone() throws -> Tensor { try unary(CTORCH_CLONE) }
    /// The same data cut from the autograd graph.
    public func detached() throws -> Tensor { try unary(CTORCH_DETACH) }

    public func sum(dims: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(CTORCH_SUM, dims: dims, keepDims: keepDims)
    }
    public func mean(dims: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(CTORCH_MEAN, dims: dims, keepDims: keepDims)
    }
    public func max(dims: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(CTORCH_AMAX, dims: dims, keepDims: keepDims)
    }
    public func min(dims: [Int] = [], keepDims: Bool = false) throws -> Tensor {
        try reduce(CTORCH_AMIN, dims: dims, keepDims: keepDims)
    }

    public func softmax(dim: Int) throws -> Tensor {
        try makeTensor { ctorch_softmax(handle, Int64(dim), $0) }
    }

    /// Elements of `self` where `condition` is true, else of `other`.
    public func selecting(where condition: Tensor, otherwise other: Tensor) throws -> Tensor {
        try makeTensor { ctorch_where(condition.handle, handle, other.handle, $0) }
    }
}

/// Mean losses between a prediction and its target.
public enum Loss {
    public static func mse(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try prediction.binary(CTORCH_MSE_LOSS, target)
    }

    public static func l1(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try prediction.binary(CTORCH_L1_LOSS, target)
    }

    /// Smooth L1 with beta 1, which equals Huber with delta 1 (the loss of the reference DDPM).
    public static func smoothL1(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        try prediction.binary(CTORCH_SMOOTH_L1_LOSS, target)
    }

    public static func huber(_ prediction: Tensor, _ target: Tensor, delta: Double = 1) throws -> Tensor {
        try makeTensor { ctorch_huber_loss(prediction.handle, target.handle, delta, $0) }
    }
}
