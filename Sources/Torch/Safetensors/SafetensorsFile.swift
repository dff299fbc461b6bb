/// The tensors and metadata of one safetensors file, in the order of the file's header.
public struct SafetensorsFile {
    /// Every tensor with its name, in header order.
    public var tensors: [(name: String, tensor: Tensor)]
    /// The header's `__metadata__` string map; empty when the file has none.
    public var metadata: [String: String]
    /// The file the tensors were read from, used in error messages.
    public var path: String

    public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], path: String = "") {
        self.tensors = tensors
        self.metadata = metadata
        self.path = path
    }

    /// The tensor called `name`, nil when the file has none.
    public subscript(name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// The names of all tensors, in header order.
    public var names: [String] { tensors.map(\.name) }

    /// The tensor called `name`.
    ///
    /// - Throws: `SafetensorsError` listing the names the file has when there is no such tensor.
    public func tensor(_ name: String) throws -> Tensor {
        guard let tensor = self[name] else {
            let available = names.isEmpty ? "the file has no tensors" : "the file has \(names.joined(separator: ", "))"
            throw SafetensorsError(path: path, message: "no tensor named \"\(name)\"; \(available)")
        }
        return tensor
    }
}
