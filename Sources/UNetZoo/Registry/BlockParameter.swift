/// A value of a block parameter, as a spec gives it or a schema defaults it.
public enum BlockParameterValue: Equatable, Sendable, CustomStringConvertible {
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .int(let value): return String(value)
        case .float(let value): return String(value)
        case .bool(let value): return String(value)
        case .string(let value): return value
        }
    }

    /// The value as JSON serialisation takes it.
    public var jsonValue: Any {
        switch self {
        case .int(let value): return value
        case .float(let value): return value
        case .bool(let value): return value
        case .string(let value): return value
        }
    }
}

/// One entry of a block's parameter schema: a key that specs may set under `block_params:` and the like.
public struct BlockParameter: Equatable, Sendable {
    /// The type a parameter's value must have; `float` also accepts integers.
    public enum Kind: String, Sendable {
        case int, float, bool, string
    }

    public var name: String
    public var kind: Kind
    public var defaultValue: BlockParameterValue
    /// One line for `unetzoo blocks NAME`.
    public var doc: String

    public init(_ name: String, _ kind: Kind, default defaultValue: BlockParameterValue, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.doc = doc
    }

    /// The value converted to this parameter's kind, or nil when its type does not fit.
    public func accepting(_ value: BlockParameterValue) -> BlockParameterValue? {
        switch (kind, value) {
        case (.int, .int), (.float, .float), (.bool, .bool), (.string, .string): return value
        case (.float, .int(let number)): return .float(Double(number))
        default: return nil
        }
    }
}

extension BlockContext {
    /// The value of an integer parameter, or its default when the context has none.
    public func int(_ parameter: BlockParameter) -> Int {
        if case .int(let value) = parameters[parameter.name] ?? parameter.defaultValue { return value }
        preconditionFailure("block parameter '\(parameter.name)' is declared \(parameter.kind), not int")
    }

    /// The value of a float parameter (an integer value is converted), or its default.
    public func double(_ parameter: BlockParameter) -> Double {
        switch parameters[parameter.name] ?? parameter.defaultValue {
        case .float(let value): return value
        case .int(let value): return Double(value)
        default: preconditionFailure("block parameter '\(parameter.name)' is declared \(parameter.kind), not float")
        }
    }

    /// The value of a boolean parameter, or its default.
    public func bool(_ parameter: BlockParameter) -> Bool {
        if case .bool(let value) = parameters[parameter.name] ?? parameter.defaultValue { return value }
        preconditionFailure("block parameter '\(parameter.name)' is declared \(parameter.kind), not bool")
    }

    /// The value of a string parameter, or its default.
    public func string(_ parameter: BlockParameter) -> String {
        if case .string(let value) = parameters[parameter.name] ?? parameter.defaultValue { return value }
        preconditionFailure("block parameter '\(parameter.name)' is declared \(parameter.kind), not string")
    }
}
