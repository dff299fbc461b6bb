/// A training or sampling run that cannot start or cannot go on.
public struct TrainingError: Error, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
