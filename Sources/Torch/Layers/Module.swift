/// A layer or a tree of layers with named parameters.
///
/// Names are dotted paths relative to the module, as in PyTorch's `state_dict` (`block1.proj.weight`),
/// so that checkpoints move between unetzoo and PyTorch implementations unchanged.
public protocol Module: AnyObject {
    /// The parameters of this module and of its children, in registration order.
    var namedParameters: [(name: String, tensor: Tensor)] { get }
}

extension Module {
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }

    /// The number of scalar parameters.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.tensor.count } }
}

/// Prefixes the parameters of child modules with their names; nil children are skipped.
public func childParameters(_ children: (String, Module?)...) -> [(name: String, tensor: Tensor)] {
    childParameters(children)
}

public func childParameters(_ children: [(String, Module?)]) -> [(name: String, tensor: Tensor)] {
    children.flatMap { name, child in
        (child?.namedParameters ?? []).map { (name: "\(name).\($0.name)", tensor: $0.tensor) }
    }
}

/// PyTorch's default initialisation bound for a layer: kaiming-uniform with a = √5 gives
/// U(−1/√fan_in, 1/√fan_in) for the weight, and the bias uses the same bound.
func defaultInitBound(fanIn: Int) -> Double {
    fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
}

/// A trainable float32 tensor drawn from U(−bound, bound).
func uniformParameter(_ shape: [Int], bound: Double, device: Device) throws -> Tensor {
    let tensor = try Tensor.zeros(shape, device: device)
    try tensor.uniform(-bound, bound)
    return try tensor.requiringGrad()
}

/// A trainable float32 tensor filled with `value`.
func constantParameter(_ shape: [Int], value: Double, device: Device) throws -> Tensor {
    try Tensor.full(shape, value: value, device: device).requiringGrad()
}
