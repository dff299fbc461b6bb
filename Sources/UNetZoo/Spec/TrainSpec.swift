import Foundation

/// The training settings of a spec's `train:` section; every key has a default.
public struct TrainSpec: Equatable, Sendable {
    /// Where training images come from.
    public enum DataSource: String, CaseIterable, Sendable {
        /// Gzip IDX files of Fashion-MNIST in `data_dir`; the held-out set is its test split.
        case fashionMNIST = "fashion_mnist"
        /// Every `.png` file in `data_dir`, sized like the spec's image_size.
        case pngFolder = "png_folder"
    }

    /// Optimizer steps of a run.
    public var steps = 1000
    public var batchSize = 128
    /// The AdamW learning rate after warmup; it stays constant afterwards, so a resumed run
    /// follows the same rates as an uninterrupted one.
    public var learningRate = 1e-3
    /// Steps over which the learning rate rises linearly from learning_rate / warmup_steps.
    public var warmupSteps = 20
    public var weightDecay = 0.01
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-8
    /// The maximum joint L2 norm of the gradients; 0 turns clipping off.
    public var gradClip = 1.0
    /// The decay of the exponential moving average of the weights that sampling uses.
    public var emaDecay = 0.999
    public var schedule = ScheduleKind.linear
    public var timesteps = 200
    public var prediction = PredictionTarget.epsilon
    public var loss = DiffusionLoss.huber
    public var seed = 0
    public var data = DataSource.fashionMNIST
    public var dataDir = "/usr/share/datasets/fashion-mnist"
    public var horizontalFlip = false
    /// Steps between evaluations; evaluation also runs at step 0 and at the last step.
    public var evalEvery = 500
    /// Held-out images in each evaluation (the first ones of the test set).
    public var evalImages = 1000
    /// Equal-width timestep ranges the evaluation loss is also reported for.
    public var evalBuckets = 4
    public var evalBatchSize = 250
    /// Steps between checkpoints; a checkpoint is also written at the last step and on SIGINT or SIGTERM.
    public var checkpointEvery = 500
    /// Steps between training-loss lines in metrics.jsonl.
    public var logEvery = 10

    public init() {}

    static let keys = [
        "steps", "batch_size", "learning_rate", "warmup_steps", "weight_decay", "beta1", "beta2", "epsilon",
        "grad_clip", "ema_decay", "schedule", "timesteps", "prediction", "loss", "seed", "data", "data_dir",
        "horizontal_flip", "eval_every", "eval_images", "eval_buckets", "eval_batch_size", "checkpoint_every",
        "log_every",
    ]

    /// Decodes a `train:` mapping, appending a diagnostic for every unknown key or invalid value.
    static func decode(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> TrainSpec {
        var decoder = TrainSpecDecoder()
        let spec = decoder.decode(node)
        diagnostics += decoder.diagnostics
        return spec
    }
}

/// Reads the `train:` section; kept apart from `SpecDecoder` because training keys change
/// independently of the network keys.
private struct TrainSpecDecoder {
    var diagnostics: [Diagnostic] = []

    mutating func decode(_ node: YAMLNode) -> TrainSpec {
        var spec = TrainSpec()
        if scalar(node) == .null {
            return spec
        }
        guard case .mapping(let pairs) = node.kind else {
            error(node, "train", "expected a mapping of training settings such as {steps: 1000}, found \(node.typeDescription)")
            return spec
        }
        var seen: [String: Int] = [:]
        for (keyNode, value) in pairs {
            guard case .scalar(let key, _) = keyNode.kind else {
                error(keyNode, "train", "keys must be plain names, found \(keyNode.typeDescription)")
                continue
            }
            let path = "train.\(key)"
            if let line = seen[key] {
                error(keyNode, path, "duplicate key; it is first given at line \(line)")
                continue
            }
            seen[key] = keyNode.location.line
            apply(key, value, path: path, keyNode: keyNode, to: &spec)
        }
        if spec.evalBuckets > spec.timesteps, let first = pairs.first {
            error(first.key, "train.eval_buckets", "expected at most timesteps (\(spec.timesteps)) buckets, found \(spec.evalBuckets)")
        }
        return spec
    }

    private mutating func apply(_ key: String, _ value: YAMLNode, path: String, keyNode: YAMLNode, to spec: inout TrainSpec) {
        switch key {
        case "steps": assign(positiveInt(value, path), to: &spec.steps)
        case "batch_size": assign(positiveInt(value, path), to: &spec.batchSize)
        case "learning_rate": assign(number(value, path, minimum: 0, exclusive: true), to: &spec.learningRate)
        case "warmup_steps": assign(int(value, path, minimum: 0), to: &spec.warmupSteps)
        case "weight_decay": assign(number(value, path, minimum: 0), to: &spec.weightDecay)
        case "beta1": assign(fraction(value, path), to: &spec.beta1)
        case "beta2": assign(fraction(value, path), to: &spec.beta2)
        case "epsilon": assign(number(value, path, minimum: 0, exclusive: true), to: &spec.epsilon)
        case "grad_clip": assign(number(value, path, minimum: 0), to: &spec.gradClip)
        case "ema_decay": assign(fraction(value, path), to: &spec.emaDecay)
        case "schedule": assign(choice(value, path, ScheduleKind.self), to: &spec.schedule)
        case "timesteps": assign(int(value, path, minimum: 2), to: &spec.timesteps)
        case "prediction": assign(choice(value, path, PredictionTarget.self), to: &spec.prediction)
        case "loss": assign(choice(value, path, DiffusionLoss.self), to: &spec.loss)
        case "seed": assign(int(value, path, minimum: 0), to: &spec.seed)
        case "data": assign(choice(value, path, TrainSpec.DataSource.self), to: &spec.data)
        case "data_dir": assign(text(value, path), to: &spec.dataDir)
        case "horizontal_flip": assign(bool(value, path), to: &spec.horizontalFlip)
        case "eval_every": assign(positiveInt(value, path), to: &spec.evalEvery)
        case "eval_images": assign(positiveInt(value, path), to: &spec.evalImages)
        case "eval_buckets": assign(positiveInt(value, path), to: &spec.evalBuckets)
        case "eval_batch_size": assign(positiveInt(value, path), to: &spec.evalBatchSize)
        case "checkpoint_every": assign(positiveInt(value, path), to: &spec.checkpointEvery)
        case "log_every": assign(positiveInt(value, path), to: &spec.logEvery)
        default:
            let hint = nearestName(to: key, in: TrainSpec.keys).map { "; did you mean '\($0)'?" }
                ?? "; known keys: \(TrainSpec.keys.joined(separator: ", "))"
            error(keyNode, path, "unknown key\(hint)")
        }
    }

    private func assign<Value>(_ value: Value?, to field: inout Value) {
        if let value { field = value }
    }

    private func scalar(_ node: YAMLNode) -> YAMLScalar? {
        guard case .scalar(let text, let plain) = node.kind else { return nil }
        return YAMLScalar(text: text, plain: plain && node.tag == nil)
    }

    private mutating func int(_ node: YAMLNode, _ path: String, minimum: Int) -> Int? {
        guard case .int(let value) = scalar(node), value >= minimum else {
            error(node, path, "expected an integer of at least \(minimum), found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func positiveInt(_ node: YAMLNode, _ path: String) -> Int? {
        guard case .int(let value) = scalar(node), value > 0 else {
            error(node, path, "expected a positive integer, found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func number(_ node: YAMLNode, _ path: String, minimum: Double, exclusive: Bool = false) -> Double? {
        let value: Double
        switch scalar(node) {
        case .int(let integer): value = Double(integer)
        case .float(let float): value = float
        default: value = .nan
        }
        guard value.isFinite, exclusive ? value > minimum : value >= minimum else {
            let bound = exclusive ? "greater than \(minimum.formatted())" : "at least \(minimum.formatted())"
            error(node, path, "expected a finite number \(bound), found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func fraction(_ node: YAMLNode, _ path: String) -> Double? {
        guard let value = number(node, path, minimum: 0), value < 1 else {
            if diagnostics.last?.path != path {
                error(node, path, "expected a number in [0, 1), found \(node.typeDescription)")
            }
            return nil
        }
        return value
    }

    private mutating func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        guard case .bool(let value) = scalar(node) else {
            error(node, path, "expected true or false, found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func text(_ node: YAMLNode, _ path: String) -> String? {
        guard case .scalar(let value, _) = node.kind, case .string = scalar(node) else {
            error(node, path, "expected a string, found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func choice<Choice: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ path: String, _ type: Choice.Type) -> Choice? where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        guard case .scalar(let value, _) = node.kind, let result = Choice(rawValue: value) else {
            var message = "expected one of \(names.joined(separator: ", ")), found \(node.typeDescription)"
            if case .scalar(let value, _) = node.kind, let nearest = nearestName(to: value, in: names) {
                message += "; did you mean '\(nearest)'?"
            }
            error(node, path, message)
            return nil
        }
        return result
    }

    private mutating func error(_ node: YAMLNode, _ path: String, _ message: String) {
        diagnostics.append(Diagnostic(at: node.location, path: path, message))
    }
}
