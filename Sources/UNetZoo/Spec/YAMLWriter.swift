import CYAML
import Foundation

/// Writes a `YAMLNode` tree as YAML text with libyaml's emitter.
///
/// Used to store the spec a run was trained with as one self-contained file: the tree that
/// `extends` layers and `--set` overrides composed to, so the stored spec needs no other file.
/// Scalars keep their style (plain or quoted), so they resolve to the same values when read back.
/// Comments and anchors of the source files are not kept.
public enum YAMLWriter {
    /// Returns the YAML text of `node`, preceded by `header` lines as `#` comments.
    ///
    /// - Throws: `SpecError` when libyaml fails to emit, with its message.
    public static func write(_ node: YAMLNode, header: [String] = []) throws -> String {
        var emitter = yaml_emitter_t()
        guard yaml_emitter_initialize(&emitter) == 1 else {
            throw failure("libyaml could not allocate an emitter")
        }
        defer { yaml_emitter_delete(&emitter) }

        let output = OutputBuffer()
        let context = Unmanaged.passUnretained(output).toOpaque()
        yaml_emitter_set_output(&emitter, { context, buffer, size in
            guard let context, let buffer else { return 0 }
            Unmanaged<OutputBuffer>.fromOpaque(context).takeUnretainedValue().bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: size))
            return 1
        }, context)
        yaml_emitter_set_unicode(&emitter, 1)
        yaml_emitter_set_width(&emitter, 100)

        try withExtendedLifetime(output) {
            try emit(&emitter) { yaml_stream_start_event_initialize(&$0, YAML_UTF8_ENCODING) }
            try emit(&emitter) { yaml_document_start_event_initialize(&$0, nil, nil, nil, 1) }
            try emitNode(node, &emitter)
            try emit(&emitter) { yaml_document_end_event_initialize(&$0, 1) }
            try emit(&emitter) { yaml_stream_end_event_initialize(&$0) }
        }

        let comments = header.map { "# \($0)\n" }.joined()
        return comments + String(decoding: output.bytes, as: UTF8.self)
    }

    private final class OutputBuffer {
        var bytes: [UInt8] = []
    }

    private static func emitNode(_ node: YAMLNode, _ emitter: inout yaml_emitter_t) throws {
        let implicit: Int32 = node.tag == nil ? 1 : 0
        switch node.kind {
        case .scalar(let text, let plain):
            let style = plain ? YAML_PLAIN_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE
            try withOptionalCString(node.tag) { tag in
                try text.withCString { value in
                    try emit(&emitter) {
                        yaml_scalar_event_initialize(
                            &$0, nil, tag, cast(value), Int32(strlen(value)), implicit, implicit, style)
                    }
                }
            }
        case .sequence(let items):
            try withOptionalCString(node.tag) { tag in
                try emit(&emitter) { yaml_sequence_start_event_initialize(&$0, nil, tag, implicit, YAML_ANY_SEQUENCE_STYLE) }
            }
            for item in items {
                try emitNode(item, &emitter)
            }
            try emit(&emitter) { yaml_sequence_end_event_initialize(&$0) }
        case .mapping(let pairs):
            try withOptionalCString(node.tag) { tag in
                try emit(&emitter) { yaml_mapping_start_event_initialize(&$0, nil, tag, implicit, YAML_ANY_MAPPING_STYLE) }
            }
            for (key, value) in pairs {
                try emitNode(key, &emitter)
                try emitNode(value, &emitter)
            }
            try emit(&emitter) { yaml_mapping_end_event_initialize(&$0) }
        }
    }

    /// Initialises one event with `body` and hands it to the emitter, which takes ownership of it.
    private static func emit(_ emitter: inout yaml_emitter_t, _ body: (inout yaml_event_t) -> Int32) throws {
        var event = yaml_event_t()
        guard body(&event) == 1 else {
            throw failure("libyaml could not create an event")
        }
        guard yaml_emitter_emit(&emitter, &event) == 1 else {
            let problem = emitter.problem.map { String(cString: $0) } ?? "unknown problem"
            throw failure("libyaml could not write the spec: \(problem)")
        }
    }

    private static func withOptionalCString<Result>(_ text: String?, _ body: (UnsafeMutablePointer<yaml_char_t>?) throws -> Result) rethrows -> Result {
        guard let text else { return try body(nil) }
        return try text.withCString { try body(cast($0)) }
    }

    private static func cast(_ pointer: UnsafePointer<CChar>) -> UnsafeMutablePointer<yaml_char_t> {
        UnsafeMutableRawPointer(mutating: pointer).assumingMemoryBound(to: yaml_char_t.self)
    }

    private static func failure(_ message: String) -> SpecError {
        SpecError([Diagnostic(at: SourceLocation(file: "<output>", line: 1, column: 1), path: "", message)])
    }
}
