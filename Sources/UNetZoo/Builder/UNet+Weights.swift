import Torch

// Saving and loading a model's parameters as safetensors, under the names of the reference
// module tree, so that a PyTorch state_dict of the reference loads unchanged.

extension UNet {
    /// Writes every parameter to a safetensors file under its state_dict name, with `metadata`.
    ///
    /// - Throws: `SafetensorsError` when the file cannot be written.
    public func saveWeights(to path: String, metadata: [String: String] = [:]) throws {
        let detached = try namedParameters.map { (name: $0.name, tensor: try $0.tensor.detached()) }
        try Safetensors.write(detached, metadata: metadata, to: path)
    }

    /// Reads a safetensors file and copies its tensors into the parameters of the same names.
    ///
    /// - Throws: `SafetensorsError` for an unreadable or corrupt file, `WeightsError` when the
    ///   file's names, shapes or dtypes do not match the model (nothing is changed then).
    public func loadWeights(from path: String) throws {
        try loadWeights(try Safetensors.read(path: path))
    }

    /// Copies the tensors of `file` into the parameters of the same names, after checking all of them.
    ///
    /// Every parameter must be present with its exact shape and dtype, and the file may hold no
    /// other tensor. All mismatches are reported together and no parameter changes unless all match.
    ///
    /// - Throws: `WeightsError` listing missing and unexpected names, and each shape or dtype mismatch.
    public func loadWeights(_ file: SafetensorsFile) throws {
        let parameters = namedParameters
        let problems = weightProblems(parameters: parameters, file: file)
        guard problems.isEmpty else {
            throw WeightsError(path: file.path, problems: problems)
        }

        try withoutGrad {
            for (name, parameter) in parameters {
                try parameter.copy(from: file[name]!)
            }
        }
    }

    /// Lists the mismatches between the model's parameters and a file: missing names, unexpected
    /// names, then shape and dtype mismatches in parameter order.
    func weightProblems(parameters: [(name: String, tensor: Tensor)], file: SafetensorsFile) -> [String] {
        let parameterNames = Set(parameters.map(\.name))
        let fileNames = Set(file.names)
        var problems: [String] = []

        let missing = parameters.map(\.name).filter { !fileNames.contains($0) }
        if !missing.isEmpty {
            problems.append("missing \(missing.count) tensor\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))")
        }
        let unexpected = file.names.filter { !parameterNames.contains($0) }
        if !unexpected.isEmpty {
            problems.append(
                "unexpected \(unexpected.count) tensor\(unexpected.count == 1 ? "" : "s") that the model does not have: "
                    + unexpected.joined(separator: ", "))
        }

        for (name, parameter) in parameters {
            guard let tensor = file[name] else { continue }
            if tensor.shape != parameter.shape {
                problems.append("\(name): shape \(tensor.shape) in the file, expected \(parameter.shape)")
            } else if tensor.dtype != parameter.dtype {
                problems.append(
                    "\(name): dtype \(tensor.dtype) in the file, expected \(parameter.dtype); convert the file to \(parameter.dtype)")
            }
        }
        return problems
    }
}
