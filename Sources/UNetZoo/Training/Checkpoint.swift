import Foundation
import Torch

/// The safetensors checkpoint of a training run: weights, EMA weights, AdamW state, step and the
/// random generator's state.
///
/// Tensor names: `model.<parameter>`, `ema.<parameter>`, `optimizer.exp_avg.<parameter>`,
/// `optimizer.exp_avg_sq.<parameter>` and `rng_state` (uint8). Metadata: `format`, `step`,
/// `optimizer_step` and the spec's `name`. Parameter names are the reference PyTorch names, so
/// `model.` and `ema.` weights load into the reference module after stripping the prefix.
public enum Checkpoint {
    public static let format = "unetzoo-checkpoint-1"

    /// Writes the checkpoint through `Safetensors.write`, which writes a temporary file, syncs it
    /// and renames it over `path`, so a crash leaves the previous checkpoint intact.
    static func save(
        path: String, step: Int, spec: UNetSpec, model: [(name: String, tensor: Tensor)],
        ema: ExponentialMovingAverage, optimizer: AdamW
    ) throws {
        var tensors: [(name: String, tensor: Tensor)] = []
        for (name, tensor) in model {
            tensors.append((name: "model.\(name)", tensor: try tensor.detached()))
        }
        for (name, tensor) in ema.namedAverages {
            tensors.append((name: "ema.\(name)", tensor: tensor))
        }
        for (index, (name, _)) in model.enumerated() {
            tensors.append((name: "optimizer.exp_avg.\(name)", tensor: optimizer.expAvgs[index]))
            tensors.append((name: "optimizer.exp_avg_sq.\(name)", tensor: optimizer.expAvgSqs[index]))
        }
        tensors.append((name: "rng_state", tensor: try Torch.rngState()))
        let metadata = [
            "format": format, "step": "\(step)", "optimizer_step": "\(optimizer.stepCount)", "name": spec.name,
        ]
        try Safetensors.write(tensors, metadata: metadata, to: path)
    }

    /// Restores weights, EMA weights, optimizer state and the generator state; returns the step.
    ///
    /// - Throws: `TrainingError` when the file is not a unetzoo checkpoint, or when its tensors do not
    ///   match the network because it was trained from another spec. `SafetensorsError` when the
    ///   file is unreadable.
    static func load(
        path: String, model: [(name: String, tensor: Tensor)], ema: ExponentialMovingAverage, optimizer: AdamW
    ) throws -> Int {
        let file = try Safetensors.read(path: path)
        guard file.metadata["format"] == format, let step = file.metadata["step"].flatMap(Int.init),
              let optimizerStep = file.metadata["optimizer_step"].flatMap(Int.init) else {
            throw TrainingError("\(path) is not a unetzoo checkpoint: expected metadata format \(format) with step and optimizer_step")
        }
        func restore(_ name: String, into destination: Tensor) throws {
            guard let source = file[name] else {
                throw TrainingError("\(path) has no tensor \(name); the checkpoint was written for another network, so resume with the spec it was trained with")
            }
            guard source.shape == destination.shape else {
                throw TrainingError("\(path): \(name) has shape \(source.shape), but the network expects \(destination.shape); resume with the spec the checkpoint was trained with")
            }
            try withoutGrad { try destination.copy(from: source) }
        }
        var expAvgs: [Tensor] = []
        var expAvgSqs: [Tensor] = []
        for (index, (name, tensor)) in model.enumerated() {
            try restore("model.\(name)", into: tensor)
            try restore("ema.\(name)", into: ema.namedAverages[index].tensor)
            try restore("optimizer.exp_avg.\(name)", into: optimizer.expAvgs[index])
            try restore("optimizer.exp_avg_sq.\(name)", into: optimizer.expAvgSqs[index])
            expAvgs.append(optimizer.expAvgs[index])
            expAvgSqs.append(optimizer.expAvgSqs[index])
        }
        let expectedNames = Set(model.map(\.name))
        let extra = file.names.filter { name in
            guard name.hasPrefix("model.") else { return false }
            return !expectedNames.contains(String(name.dropFirst("model.".count)))
        }
        guard extra.isEmpty else {
            throw TrainingError("\(path) has weights the network lacks (\(extra.prefix(3).joined(separator: ", "))); resume with the spec the checkpoint was trained with")
        }
        try optimizer.restore(stepCount: optimizerStep, expAvgs: expAvgs, expAvgSqs: expAvgSqs)
        try Torch.setRNGState(try file.tensor("rng_state"))
        return step
    }

    /// Copies the EMA weights of a checkpoint into a network's parameters, for sampling.
    public static func loadEMA(path: String, into model: UNet) throws {
        let file = try Safetensors.read(path: path)
        guard file.metadata["format"] == format else {
            throw TrainingError("\(path) is not a unetzoo checkpoint: expected metadata format \(format)")
        }
        for (name, tensor) in model.namedParameters {
            guard let source = file["ema.\(name)"], source.shape == tensor.shape else {
                throw TrainingError("\(path) has no EMA weight ema.\(name) of shape \(tensor.shape); the run's spec.yaml does not match its checkpoint")
            }
            try withoutGrad { try tensor.copy(from: source) }
        }
    }
}
