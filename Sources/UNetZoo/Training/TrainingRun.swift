import Foundation

/// The files of a run folder: the spec it was started with, the latest checkpoint and the metrics log.
public struct TrainingRun: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// A copy of the spec text the run was started with; `unetzoo sample` rebuilds the network from it.
    public var specPath: String { file("spec.yaml") }
    public var checkpointPath: String { file("checkpoint.safetensors") }
    public var metricsPath: String { file("metrics.jsonl") }

    private func file(_ name: String) -> String {
        URL(fileURLWithPath: directory).appendingPathComponent(name).path
    }
}
