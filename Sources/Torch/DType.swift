import CTorch

/// Element type of a tensor.
public enum DType: Int32, CaseIterable, Sendable, CustomStringConvertible {
    case float32, float64, float16, bfloat16, int64, int32, uint8, bool

    var code: Int32 {
        switch self {
        case .float32: Int32(CTORCH_FLOAT32.rawValue)
        case .float64: Int32(CTORCH_FLOAT64.rawValue)
        case .float16: Int32(CTORCH_FLOAT16.rawValue)
        case .bfloat16: Int32(CTORCH_BFLOAT16.rawValue)
        case .int64: Int32(CTORCH_INT64.rawValue)
        case .int32: Int32(CTORCH_INT32.rawValue)
        case .uint8: Int32(CTORCH_UINT8.rawValue)
        case .bool: Int32(CTORCH_BOOL.rawValue)
        }
    }

    init?(code: Int32) {
        guard let type = DType.allCases.first(where: { $0.code == code }) else { return nil }
        self = type
    }

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float64, .int64: 8
        case .float32, .int32: 4
        case .float16, .bfloat16: 2
        case .uint8, .bool: 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .float32: "float32"
        case .float64: "float64"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .int64: "int64"
        case .int32: "int32"
        case .uint8: "uint8"
        case .bool: "bool"
        }
    }
}

/// Where a tensor's memory lives.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    var code: Int32 {
        switch self {
        case .cpu: -1
        case .cuda(let index): Int32(index)
        }
    }

    init(code: Int32) {
        self = code < 0 ? .cpu : .cuda(Int(code))
    }

    /// Parses `cpu`, `cuda` (device 0) or `cuda:N`; nil for anything else.
    public init?(parsing text: String) {
        if text == "cpu" {
            self = .cpu
        } else if text == "cuda" {
            self = .cuda(0)
        } else if text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 {
            self = .cuda(index)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let index): "cuda:\(index)"
        }
    }
}
