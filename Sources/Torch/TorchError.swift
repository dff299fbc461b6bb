import CTorch
import Foundation

/// A failure reported by libtorch through the C shim, such as a convolution fed the wrong channel count.
public struct TorchError: Error, CustomStringConvertible, Equatable {
    /// The libtorch operation that failed, for example `conv2d`.
    public let operation: String
    /// libtorch's own message, without its C++ backtrace.
    public let message: String

    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    public var description: String { "\(operation): \(message)" }

    /// Reads the shim's message for this thread, which has the form "operation: message".
    static func last() -> TorchError {
        let text = String(cString: ctorch_last_error())
        guard let separator = text.range(of: ": ") else {
            return TorchError(operation: "libtorch", message: text)
        }
        return TorchError(
            operation: String(text[..<separator.lowerBound]),
            message: String(text[separator.upperBound...]).trimmingTrailingWhitespace())
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace {
            text.removeLast()
        }
        return text
    }
}

/// Throws the shim's last error when `status` is not 0.
@inline(__always)
func check(_ status: Int32) throws {
    if status != 0 {
        throw TorchError.last()
    }
}

/// Calls a shim function that writes one new tensor, and takes ownership of it.
@inline(__always)
func makeTensor(_ body: (UnsafeMutablePointer<OpaquePointer?>) -> Int32) throws -> Tensor {
    var handle: OpaquePointer?
    try check(body(&handle))
    guard let handle else {
        throw TorchError(operation: "ctorch", message: "the shim returned no tensor")
    }
    return Tensor(owning: handle)
}
