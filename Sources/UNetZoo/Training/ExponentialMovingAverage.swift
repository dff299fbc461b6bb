import Torch

/// An exponential moving average of a model's weights, the weights that sampling uses.
///
/// The decay warms up as min(decay, (1 + n) / (10 + n)) after n updates, so that the average
/// follows the weights closely early in a run instead of staying near the random initialisation.
public final class ExponentialMovingAverage {
    public let decay: Double
    /// Averaged copies of the tracked parameters, in the same order and with the same names.
    public let namedAverages: [(name: String, tensor: Tensor)]

    /// Starts the average at the current values of `parameters`.
    public init(_ parameters: [(name: String, tensor: Tensor)], decay: Double) throws {
        self.decay = decay
        namedAverages = try withoutGrad {
            try parameters.map { (name: $0.name, tensor: try $0.tensor.detached().clone()) }
        }
    }

    /// The decay applied at update number `updates` (1-based).
    public func effectiveDecay(updates: Int) -> Double {
        Swift.min(decay, Double(1 + updates) / Double(10 + updates))
    }

    /// Moves every average towards its parameter: average += (1 − decay) · (parameter − average).
    public func update(towards parameters: [Tensor], updates: Int) throws {
        precondition(parameters.count == namedAverages.count, "the EMA tracks a different parameter list")
        let weight = 1 - effectiveDecay(updates: updates)
        for (average, parameter) in zip(namedAverages, parameters) {
            try average.tensor.lerp(towards: parameter, weight: weight)
        }
    }
}
