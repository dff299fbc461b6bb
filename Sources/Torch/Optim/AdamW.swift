import CTorch

/// The AdamW optimizer of `torch.optim.AdamW`: Adam with bias correction and decoupled weight decay.
///
/// Each `step()` first shrinks every parameter by `learningRate · weightDecay`, then applies the
/// Adam update from the gradients that `backward()` accumulated. Parameters without a gradient are
/// skipped. Defaults are PyTorch's. Paper: Loshchilov and Hutter, "Decoupled Weight Decay
/// Regularization", ICLR 2019.
///
/// NOTE: the step count is shared by all parameters, while PyTorch counts steps per parameter.
/// The two differ only for a parameter that had no gradient on some steps.
public final class AdamW {
    /// The tensors updated in place, in the order given.
    public let parameters: [Tensor]
    /// The learning rate of the next step. A scheduler may change it between steps.
    public var learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    /// The number of steps taken so far. The next step computes its bias correction for `stepCount + 1`.
    public private(set) var stepCount = 0
    /// The running means of the gradients (`exp_avg` in PyTorch), one per parameter.
    public private(set) var expAvgs: [Tensor]
    /// The running means of the squared gradients (`exp_avg_sq` in PyTorch), one per parameter.
    public private(set) var expAvgSqs: [Tensor]

    /// Creates the optimizer with zero moments on each parameter's device.
    ///
    /// - Throws: `TorchError` when a hyperparameter is out of range (as `torch.optim.AdamW` raises
    ///   `ValueError`), or when the moments cannot be allocated.
    public init(
        parameters: [Tensor], learningRate: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
        eps: Double = 1e-8, weightDecay: Double = 1e-2
    ) throws {
        func invalid(_ message: String) -> TorchError {
            TorchError(operation: "AdamW", message: message)
        }
        guard learningRate >= 0 else { throw invalid("invalid learning rate \(learningRate), expected >= 0") }
        guard eps >= 0 else { throw invalid("invalid eps \(eps), expected >= 0") }
        guard (0..<1).contains(betas.0) else { throw invalid("invalid beta1 \(betas.0), expected 0 <= beta1 < 1") }
        guard (0..<1).contains(betas.1) else { throw invalid("invalid beta2 \(betas.1), expected 0 <= beta2 < 1") }
        guard weightDecay >= 0 else { throw invalid("invalid weight decay \(weightDecay), expected >= 0") }

        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.eps = eps
        self.weightDecay = weightDecay
        expAvgs = try parameters.map { try Tensor.zeros($0.shape, dtype: $0.dtype, device: $0.device) }
        expAvgSqs = try parameters.map { try Tensor.zeros($0.shape, dtype: $0.dtype, device: $0.device) }
    }

    /// Updates every parameter that has a gradient, in place and without recording gradients.
    public func step() throws {
        let parameterHandles: [OpaquePointer?] = parameters.map { $0.handle }
        let expAvgHandles: [OpaquePointer?] = expAvgs.map { $0.handle }
        let expAvgSqHandles: [OpaquePointer?] = expAvgSqs.map { $0.handle }
        try withExtendedLifetime((parameters, expAvgs, expAvgSqs)) {
            try check(
                ctorch_adamw_step(
                    parameterHandles, expAvgHandles, expAvgSqHandles, Int64(parameters.count),
                    Int64(stepCount + 1), learningRate, beta1, beta2, eps, weightDecay))
        }
        stepCount += 1
    }

    /// Drops the gradients of all parameters, as `optimizer.zero_grad()` does by default.
    public func zeroGrad() throws {
        for parameter in parameters {
            try parameter.zeroGrad()
        }
    }

    /// Replaces the step count and both moments, to resume from a checkpoint.
    ///
    /// - Throws: `TorchError` when the counts or shapes do not match the parameters.
    public func restore(stepCount: Int, expAvgs: [Tensor], expAvgSqs: [Tensor]) throws {
        guard stepCount >= 0 else {
            throw TorchError(operation: "AdamW", message: "invalid step count \(stepCount), expected >= 0")
        }
        for (label, moments) in [("exp_avg", expAvgs), ("exp_avg_sq", expAvgSqs)] {
            guard moments.count == parameters.count else {
                throw TorchError(
                    operation: "AdamW",
                    message: "\(moments.count) \(label) tensors for \(parameters.count) parameters; expected one per parameter")
            }
            for (index, (moment, parameter)) in zip(moments, parameters).enumerated() where moment.shape != parameter.shape {
                throw TorchError(
                    operation: "AdamW",
                    message: "\(label) \(index) has shape \(moment.shape), expected the parameter's shape \(parameter.shape)")
            }
        }
        self.stepCount = stepCount
        self.expAvgs = try zip(expAvgs, parameters).map { try $0.to(dtype: $1.dtype, device: $1.device) }
        self.expAvgSqs = try zip(expAvgSqs, parameters).map { try $0.to(dtype: $1.dtype, device: $1.device) }
    }
}
