import Torch

/// The distance between the network output and its target, averaged over every element.
public enum DiffusionLoss: String, CaseIterable, Sendable {
    case l1
    case l2
    /// Smooth L1 with β = 1, equal to Huber with δ = 1 (the reference).
    case huber

    public func callAsFunction(_ prediction: Tensor, _ target: Tensor) throws -> Tensor {
        switch self {
        case .l1: try Loss.l1(prediction, target)
        case .l2: try Loss.mse(prediction, target)
        case .huber: try Loss.smoothL1(prediction, target)
        }
    }
}
