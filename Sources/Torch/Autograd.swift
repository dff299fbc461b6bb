import CTorch

// Gradient recording, back-propagation and the in-place updates that optimizers and initialisers use.

extension Tensor {
    /// Marks a leaf tensor as a trainable parameter (or not); returns self for chaining.
    @discardableResult
    public func requiringGrad(_ flag: Bool = true) throws -> Tensor {
        try check(ctorch_set_requires_grad(handle, flag ? 1 : 0))
        return self
    }

    /// Back-propagates from this scalar, accumulating into `grad` of every leaf that requires it.
    public func backward() throws {
        try check(ctorch_backward(handle))
    }

    /// The gradient accumulated by `backward()`, nil before the first backward pass or after `zeroGrad()`.
    public func grad() throws -> Tensor? {
        var gradient: OpaquePointer?
        try check(ctorch_grad(handle, &gradient))
        return gradient.map { Tensor(owning: $0) }
    }

    /// Drops the accumulated gradient.
    public func zeroGrad() throws {
        try check(ctorch_zero_grad(handle))
    }

    /// Overwrites the elements with those of `source` (converted to this dtype), without recording gradients.
    public func copy(from source: Tensor) throws {
        try check(ctorch_copy_(handle, source.handle))
    }

    /// Overwrites the elements with samples from U[low, high), without recording gradients.
    public func uniform(_ low: Double, _ high: Double) throws {
        try check(ctorch_uniform_(handle, low, high))
    }

    /// `self += weight · (source − self)` in place: one step of an exponential moving average.
    public func lerp(towards source: Tensor, weight: Double) throws {
        try check(ctorch_lerp_(handle, source.handle, weight))
    }
}

/// Runs `body` with gradient recording off on this thread (inference, evaluation, EMA updates).
public func withoutGrad<Result>(_ body: () throws -> Result) throws -> Result {
    var previous: Int32 = 1
    try check(ctorch_set_grad_enabled(0, &previous))
    defer { _ = ctorch_set_grad_enabled(previous, &previous) }
    return try body()
}

/// Scales the gradients of `parameters` so that their joint L2 norm is at most `maxNorm`,
/// like `torch.nn.utils.clip_grad_norm_`; returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) throws -> Double {
    let handles: [OpaquePointer?] = parameters.map { $0.handle }
    var norm = 0.0
    try withExtendedLifetime(parameters) {
        try check(ctorch_clip_grad_norm_(handles, Int64(handles.count), maxNorm, &norm))
    }
    return norm
}
