/// A YAML node as read from a spec, with the location of its first character.
///
/// Aliases are already expanded: a node reached through `*anchor` is a copy of the anchored node
/// and keeps the anchored node's location.
public struct YAMLNode: Sendable {
    public enum Kind: Sendable {
        /// A scalar's text; `plain` is false for quoted and block scalars, which are always strings.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    public var kind: Kind
    public var location: SourceLocation
    /// An explicit tag such as `!!str`, or nil.
    public var tag: String?

    public init(_ kind: Kind, at location: SourceLocation, tag: String? = nil) {
        self.kind = kind
        self.location = location
        self.tag = tag
    }

    /// What a reader calls this node's type in a message: "a mapping", "a list", "the integer 3", ...
    public var typeDescription: String {
        switch kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let text, let plain):
            switch YAMLScalar(text: text, plain: plain && tag == nil) {
            case .null: return "null"
            case .bool(let value): return "the boolean \(value)"
            case .int(let value): return "the integer \(value)"
            case .float: return "the number \(text)"
            case .string: return "the string \"\(text)\""
            }
        }
    }
}

/// The value of a scalar under the YAML 1.2 core schema.
///
/// Only `true`/`false` are booleans (so `yes`, `no`, `on`, `off` are strings), and only
/// plain scalars are resolved: a quoted `"3"` is a string.
public enum YAMLScalar: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)

    public init(text: String, plain: Bool) {
        guard plain else {
            self = .string(text)
            return
        }
        switch text {
        case "", "~", "null", "Null", "NULL":
            self = .null
        case "true", "True", "TRUE":
            self = .bool(true)
        case "false", "False", "FALSE":
            self = .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            self = .float(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            self = .float(-.infinity)
        case ".nan", ".NaN", ".NAN":
            self = .float(.nan)
        default:
            if let value = YAMLScalar.integer(text) {
                self = .int(value)
            } else if YAMLScalar.isFloat(text), let value = Double(text) {
                self = .float(value)
            } else if YAMLScalar.isDecimalInteger(text), let value = Double(text) {
                // An integer too large for Int stays a number, so messages call it one.
                self = .float(value)
            } else {
                self = .string(text)
            }
        }
    }

    /// `[-+]?[0-9]+` without a leading zero, `0o[0-7]+` or `0x[0-9a-fA-F]+`, when it fits in Int.
    private static func integer(_ text: String) -> Int? {
        // Int(_:radix:) also accepts a sign, which the core schema does not allow after 0x or 0o.
        if text.hasPrefix("0x") {
            let digits = text.dropFirst(2)
            return digits.allSatisfy(\.isHexDigit) ? Int(digits, radix: 16) : nil
        }
        if text.hasPrefix("0o") {
            let digits = text.dropFirst(2)
            return digits.allSatisfy({ ("0"..."7").contains($0) }) ? Int(digits, radix: 8) : nil
        }
        var digits = Substring(text)
        if let sign = digits.first, sign == "-" || sign == "+" {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        // YAML 1.1 read `010` as octal 8 and YAML 1.2 as 10; a spec value must not depend on which
        // one a reader follows, so a leading zero makes the scalar a string (a type error for numbers).
        if digits.count > 1 && digits.first == "0" {
            return nil
        }
        return Int(text)
    }

    /// `[-+]?[0-9]+` without a leading zero, of any size.
    private static func isDecimalInteger(_ text: String) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber } && (digits.count == 1 || digits.first != "0")
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ text: String) -> Bool {
        var characters = Substring(text)
        if let sign = characters.first, sign == "-" || sign == "+" {
            characters = characters.dropFirst()
        }
        let mantissaEnd = characters.firstIndex(where: { $0 == "e" || $0 == "E" }) ?? characters.endIndex
        let mantissa = characters[..<mantissaEnd]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        guard parts.contains(where: { !$0.isEmpty }) else { return false }
        if parts.count == 1 && mantissaEnd == characters.endIndex {
            return false
        }
        if mantissaEnd < characters.endIndex {
            var exponent = characters[characters.index(after: mantissaEnd)...]
            if let sign = exponent.first, sign == "-" || sign == "+" {
                exponent = exponent.dropFirst()
            }
            return !exponent.isEmpty && exponent.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return true
    }
}
