/// A weights file whose tensors do not fit a model: every mismatch found, one per line.
public struct WeightsError: Error, CustomStringConvertible, Equatable {
    /// The weights file.
    public let path: String
    /// One line per problem: missing names, unexpected names, then each shape or dtype mismatch.
    public let problems: [String]

    public init(path: String, problems: [String]) {
        self.path = path
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "\(path): the weights do not fit the model (\(count)):\n" + problems.map { "  " + $0 }.joined(separator: "\n")
    }
}
