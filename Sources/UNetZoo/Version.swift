import Torch

/// Versions reported by `unetzoo --version`.
public enum UNetZooVersion {
    public static let current = "0.1.0"
    public static var libtorch: String { Torch.version }
}
