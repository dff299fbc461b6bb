import CYAML
import Foundation

/// Reads one YAML document into a `YAMLNode` tree with libyaml's event parser.
///
/// Untrusted specs are bounded: the file size, the nesting depth and the number of nodes after
/// alias expansion all have limits, so a "billion laughs" file fails fast with little memory.
public struct YAMLReader {
    public struct Limits: Sendable {
        public var maxBytes = 1 << 20
        public var maxDepth = 64
        /// Nodes in the expanded tree, aliases counted with every node they copy.
        public var maxNodes = 100_000

        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses `text`, naming `file` in every location.
    ///
    /// - Returns: the root node, or nil for a document with no content.
    /// - Throws: `SpecError` for invalid UTF-8, a syntax error, several documents or an exceeded limit.
    public func read(_ data: Data, file: String) throws -> YAMLNode? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard data.count <= limits.maxBytes else {
            throw SpecError([Diagnostic(at: start, path: "", "the file is larger than \(limits.maxBytes) bytes, the limit for a spec")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError([Diagnostic(at: firstInvalidUTF8(data, file: file), path: "", "the file is not valid UTF-8 text")])
        }
        if let offset = text.unicodeScalars.firstIndex(where: { $0.value == 0 || ($0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t") }) {
            let prefix = text.unicodeScalars[..<offset]
            let line = prefix.filter { $0 == "\n" }.count + 1
            let column = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
            throw SpecError(
                [Diagnostic(at: SourceLocation(file: file, line: line, column: column), path: "",
                            "the file contains a control character (U+\(String(format: "%04X", text.unicodeScalars[offset].value))); is it a binary file?")],
                sources: [file: text])
        }
        var state = ParserState(file: file, limits: limits)
        do {
            return try state.parse(data)
        } catch var error as SpecError {
            error.sources[file] = text
            throw error
        }
    }

    private func firstInvalidUTF8(_ data: Data, file: String) -> SourceLocation {
        var line = 1
        var column = 1
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            let end = index + length
            if length == 0 || end > data.endIndex || String(data: data[index..<end], encoding: .utf8) == nil {
                break
            }
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index = end
        }
        return SourceLocation(file: file, line: line, column: column)
    }
}

/// The event loop over one libyaml parser.
private struct ParserState {
    let file: String
    let limits: YAMLReader.Limits
    var anchors: [String: YAMLNode] = [:]
    var anchorSizes: [String: Int] = [:]
    var nodeCount = 0

    init(file: String, limits: YAMLReader.Limits) {
        self.file = file
        self.limits = limits
    }

    mutating func parse(_ data: Data) throws -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw SpecError([Diagnostic(at: location(line: 0, column: 0), path: "", "libyaml could not allocate a parser")])
        }
        defer { yaml_parser_delete(&parser) }

        let bytes = [UInt8](data)
        return try bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var root: YAMLNode?
            var documents = 0
            while true {
                var event = try next(&parser)
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return root
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        throw SpecError([Diagnostic(at: mark(event.start_mark), path: "", "a spec holds one YAML document, found a second one here")])
                    }
                case YAML_DOCUMENT_END_EVENT, YAML_STREAM_START_EVENT:
                    continue
                default:
                    root = try node(startingWith: &event, parser: &parser, depth: 0)
                }
            }
        }
    }

    private mutating func node(startingWith event: inout yaml_event_t, parser: inout yaml_parser_t, depth: Int) throws -> YAMLNode {
        let start = mark(event.start_mark)
        guard depth < limits.maxDepth else {
            throw SpecError([Diagnostic(at: start, path: "", "nesting is deeper than \(limits.maxDepth) levels")])
        }
        try count(1, at: start)

        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let target = anchors[name] else {
                throw SpecError([Diagnostic(at: start, path: "", "the alias *\(name) refers to no anchor defined before it")])
            }
            try count(anchorSizes[name, default: 1] - 1, at: start, alias: name)
            return target

        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            let result = YAMLNode(.scalar(text, plain: plain), at: start, tag: tag(scalar.tag))
            remember(result, anchor: scalar.anchor, size: 1)
            return result

        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            let nodeTag = tag(event.data.sequence_start.tag)
            let before = nodeCount
            var items: [YAMLNode] = []
            while true {
                var child = try next(&parser)
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT {
                    break
                }
                items.append(try node(startingWith: &child, parser: &parser, depth: depth + 1))
            }
            let result = YAMLNode(.sequence(items), at: start, tag: nodeTag)
            if let anchor {
                anchors[anchor] = result
                anchorSizes[anchor] = nodeCount - before + 1
            }
            return result

        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            let nodeTag = tag(event.data.mapping_start.tag)
            let before = nodeCount
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            while true {
                var keyEvent = try next(&parser)
                defer { yaml_event_delete(&keyEvent) }
                if keyEvent.type == YAML_MAPPING_END_EVENT {
                    break
                }
                let key = try node(startingWith: &keyEvent, parser: &parser, depth: depth + 1)
                var valueEvent = try next(&parser)
                defer { yaml_event_delete(&valueEvent) }
                let value = try node(startingWith: &valueEvent, parser: &parser, depth: depth + 1)
                pairs.append((key, value))
            }
            let result = YAMLNode(.mapping(pairs), at: start, tag: nodeTag)
            if let anchor {
                anchors[anchor] = result
                anchorSizes[anchor] = nodeCount - before + 1
            }
            return result

        default:
            throw SpecError([Diagnostic(at: start, path: "", "unexpected YAML event \(event.type.rawValue)")])
        }
    }

    private mutating func count(_ nodes: Int, at location: SourceLocation, alias: String? = nil) throws {
        nodeCount += nodes
        if nodeCount > limits.maxNodes {
            let message = alias.map {
                "the alias *\($0) expands the document to more than \(limits.maxNodes) nodes, the limit for a spec; aliases that repeat aliases grow exponentially (a \"billion laughs\" file), so repeat the values without aliases"
            } ?? "the document has more than \(limits.maxNodes) nodes, the limit for a spec"
            throw SpecError([Diagnostic(at: location, path: "", message)])
        }
    }

    private mutating func remember(_ node: YAMLNode, anchor: UnsafeMutablePointer<yaml_char_t>?, size: Int) {
        if let anchor {
            let name = String(cString: anchor)
            anchors[name] = node
            anchorSizes[name] = size
        }
    }

    private func next(_ parser: inout yaml_parser_t) throws -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
            let context = parser.context.map { String(cString: $0) + ": " } ?? ""
            throw SpecError([Diagnostic(at: mark(parser.problem_mark), path: "", "invalid YAML: \(context)\(problem)")])
        }
        return event
    }

    private func tag(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func mark(_ mark: yaml_mark_t) -> SourceLocation {
        location(line: Int(mark.line), column: Int(mark.column))
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }
}
