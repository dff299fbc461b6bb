/// A safetensors file that cannot be read or written: corrupt, truncated, unsupported or unreachable.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    /// The file the error concerns, as the caller passed it.
    public let path: String
    /// What is wrong, with the values found and, where known, the fix.
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
