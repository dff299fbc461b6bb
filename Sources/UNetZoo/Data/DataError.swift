/// A data file that is missing, unreadable or not in the expected format.
public struct DataError: Error, CustomStringConvertible, Equatable {
    /// The file or folder the problem is in.
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
