/// A JSON value of a safetensors header, with object members kept in file order.
///
/// The header is parsed by this small reader instead of `JSONSerialization` so that member order,
/// duplicate keys and exact integer offsets survive, and so that every syntax error names its byte.
enum HeaderJSON: Equatable {
    case object([(key: String, value: HeaderJSON)])
    case array([HeaderJSON])
    case string(String)
    /// The number's text as written, converted only where an integer is expected.
    case number(String)
    case bool(Bool)
    case null

    static func == (lhs: HeaderJSON, rhs: HeaderJSON) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case (.array(let a), .array(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    /// A short name of the value's kind for messages ("a string", "an array").
    var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number(let text): "the number \(text)"
        case .bool(let value): "\(value)"
        case .null: "null"
        }
    }

    /// The value as a non-negative integer that fits in `Int`, nil for anything else.
    var nonNegativeInteger: Int? {
        guard case .number(let text) = self, !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(text)
    }

    /// Parses one JSON value filling `bytes`, allowing surrounding whitespace.
    ///
    /// - Throws: `HeaderJSONError` with the byte offset (0-based, within `bytes`) of the first problem.
    static func parse(_ bytes: [UInt8]) throws(HeaderJSONError) -> HeaderJSON {
        var parser = HeaderJSONParser(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position < bytes.count {
            throw HeaderJSONError(offset: parser.position, message: "unexpected data after the JSON value")
        }
        return value
    }

    /// The compact JSON text of the value.
    var serialized: String {
        switch self {
        case .object(let members):
            "{" + members.map { "\(HeaderJSON.quoted($0.key)):\($0.value.serialized)" }.joined(separator: ",") + "}"
        case .array(let elements):
            "[" + elements.map(\.serialized).joined(separator: ",") + "]"
        case .string(let text): HeaderJSON.quoted(text)
        case .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null: "null"
        }
    }

    /// Returns `text` as a JSON string literal with quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// A syntax error in a safetensors header.
struct HeaderJSONError: Error {
    /// The 0-based byte offset within the header.
    let offset: Int
    let message: String
}

/// A recursive-descent reader of RFC 8259 JSON over UTF-8 bytes.
private struct HeaderJSONParser {
    /// The maximum nesting depth. A valid header nests three levels, so deeper input is corrupt.
    static let maximumDepth = 64

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) {
            position += 1
        }
    }

    func error(_ message: String) -> HeaderJSONError {
        HeaderJSONError(offset: position, message: message)
    }

    mutating func parseValue(depth: Int) throws(HeaderJSONError) -> HeaderJSON {
        guard depth < Self.maximumDepth else {
            throw error("JSON nested deeper than \(Self.maximumDepth) levels")
        }
        guard position < bytes.count else {
            throw error("unexpected end of the header, expected a JSON value")
        }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character \(describe(bytes[position])), expected a JSON value")
        }
    }

    mutating func parseObject(depth: Int) throws(HeaderJSONError) -> HeaderJSON {
        position += 1
        var members: [(key: String, value: HeaderJSON)] = []
        var keys = Set<String>()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw error("unexpected end of the header, expected a string key")
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                throw error("expected a string key in the JSON object")
            }
            let keyOffset = position
            let key = try parseString()
            guard keys.insert(key).inserted else {
                throw HeaderJSONError(offset: keyOffset, message: "duplicate key \(HeaderJSON.quoted(key))")
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "':' after the object key")
            skipWhitespace()
            members.append((key, try parseValue(depth: depth + 1)))
            skipWhitespace()
            guard position < bytes.count else {
                throw error("unexpected end of the header, expected ',' or '}'")
            }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            } else {
                throw error("unexpected character \(describe(bytes[position])), expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(HeaderJSONError) -> HeaderJSON {
        position += 1
        var elements: [HeaderJSON] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard position < bytes.count else {
                throw error("unexpected end of the header, expected ',' or ']'")
            }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            } else {
                throw error("unexpected character \(describe(bytes[position])), expected ',' or ']'")
            }
        }
    }

    mutating func parseString() throws(HeaderJSONError) -> String {
        let start = position
        position += 1
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw HeaderJSONError(offset: start, message: "unterminated string")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                break
            }
            if byte < 0x20 {
                throw error("control character \(describe(byte)) inside a string; escape it")
            }
            if byte != UInt8(ascii: "\\") {
                utf8.append(byte)
                position += 1
                continue
            }
            position += 1
            guard position < bytes.count else {
                throw HeaderJSONError(offset: start, message: "unterminated string")
            }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): utf8.append(0x22)
            case UInt8(ascii: "\\"): utf8.append(0x5C)
            case UInt8(ascii: "/"): utf8.append(0x2F)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"): utf8.append(contentsOf: try parseUnicodeEscape())
            default:
                position -= 1
                throw error("invalid escape \\\(describe(escape)) in a string")
            }
        }
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw HeaderJSONError(offset: start, message: "string is not valid UTF-8")
        }
        return text
    }

    /// Reads the hex digits after `\u` (and a following low surrogate escape) as UTF-8 bytes.
    mutating func parseUnicodeEscape() throws(HeaderJSONError) -> [UInt8] {
        var value = try parseHexQuad()
        if (0xD800..<0xDC00).contains(value) {
            guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else {
                throw error("high surrogate escape without a following low surrogate")
            }
            position += 2
            let low = try parseHexQuad()
            guard (0xDC00..<0xE000).contains(low) else {
                throw error("high surrogate escape followed by a non-surrogate")
            }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(value) {
            throw error("low surrogate escape without a preceding high surrogate")
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error("escape is not a Unicode scalar value")
        }
        return Array(String(Character(scalar)).utf8)
    }

    mutating func parseHexQuad() throws(HeaderJSONError) -> UInt32 {
        guard position + 4 <= bytes.count else {
            throw error("unexpected end of the header inside a \\u escape")
        }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexDigitValue(bytes[position]) else {
                throw error("invalid hex digit \(describe(bytes[position])) in a \\u escape")
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    mutating func parseNumber() throws(HeaderJSONError) -> HeaderJSON {
        let start = position
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
        }
        guard position < bytes.count, isDigit(bytes[position]) else {
            throw error("expected a digit in the number")
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("expected a digit after the decimal point")
            }
            skipDigits()
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else {
                throw error("expected a digit in the exponent")
            }
            skipDigits()
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    mutating func skipDigits() {
        while position < bytes.count, isDigit(bytes[position]) {
            position += 1
        }
    }

    mutating func expectLiteral(_ literal: String) throws(HeaderJSONError) {
        let expected = Array(literal.utf8)
        guard position + expected.count <= bytes.count,
            Array(bytes[position..<position + expected.count]) == expected
        else {
            throw error("invalid literal, expected \(literal)")
        }
        position += expected.count
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(HeaderJSONError) {
        guard position < bytes.count, bytes[position] == byte else {
            throw error("expected \(what)")
        }
        position += 1
    }

    func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    func hexDigitValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A byte as a quoted printable character, or as hex when it is not printable ASCII.
    func describe(_ byte: UInt8) -> String {
        (0x21..<0x7F).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16, uppercase: true)
    }
}
