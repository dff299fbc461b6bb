/// An input that a built block cannot process, such as a timestep beyond a learned table, in words for the user.
public struct BlockInputError: Error, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
