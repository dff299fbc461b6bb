/// A block whose forward pass differs between training and evaluation (dropout).
public protocol TrainingModeSwitchable: AnyObject {
    var isTraining: Bool { get set }
}

extension UNet {
    /// Switches every block that has a training mode (dropout on) or an evaluation mode (dropout off).
    /// Blocks start in evaluation mode, so sampling and parity checks are deterministic by default.
    public func setTraining(_ training: Bool) {
        let blocks = (timeEmbedding.map { [$0] } ?? []) + downs.flatMap { $0 } + middle + ups.flatMap { $0 } + [finalBlock]
        for case let block as TrainingModeSwitchable in blocks {
            block.isTraining = training
        }
    }
}
