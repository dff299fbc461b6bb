/// Decoding of the keys that configure registered blocks: `blocks_per_level` and the `*_params`
/// mappings whose values the block's schema checks later, in `SpecValidator`.
extension SpecDecoder {
    /// The slot keys that take a `<key>_params:` mapping at the top level.
    static let parameterSlotKeys = ["block", "attention", "mid_attention", "downsample", "upsample", "time_embedding"]
    /// The slot keys that take a `<key>_params:` mapping inside a level.
    static let levelParameterSlotKeys = ["block", "attention"]

    static let blockOptionKeys = ["blocks_per_level"] + parameterSlotKeys.map { "\($0)_params" }
    static let levelBlockOptionKeys = levelParameterSlotKeys.map { "\($0)_params" }

    /// Reads `blocks_per_level` and the top-level `*_params` mappings from the root's values.
    mutating func decodeBlockOptions(_ values: [String: YAMLNode], into spec: inout UNetSpec) {
        if let node = values["blocks_per_level"] {
            if case .scalar(let text, let plain) = node.kind,
               case .int(let count) = YAMLScalar(text: text, plain: plain && node.tag == nil), count > 0 {
                spec.blocksPerLevel = count
            } else {
                diagnostics.append(Diagnostic(at: node.location, path: "blocks_per_level", "expected a positive integer, found \(node.typeDescription)"))
            }
        }
        for slotKey in Self.parameterSlotKeys {
            if let node = values["\(slotKey)_params"] {
                spec.blockParameters[slotKey] = blockParameters(node, path: "\(slotKey)_params")
            }
        }
    }

    /// Reads a level's `*_params` mappings.
    mutating func decodeLevelBlockOptions(_ values: [String: YAMLNode], path: String, into level: inout UNetSpec.Level) {
        for slotKey in Self.levelParameterSlotKeys {
            if let node = values["\(slotKey)_params"] {
                level.blockParameters[slotKey] = blockParameters(node, path: "\(path).\(slotKey)_params")
            }
        }
    }

    /// Decodes a mapping from parameter name to scalar value; names are checked against the block's
    /// schema later. Null means no parameters, so that a spec can clear the ones a base spec sets.
    private mutating func blockParameters(_ node: YAMLNode, path: String) -> [String: BlockParameterValue] {
        if isNull(node) {
            return [:]
        }
        guard case .mapping(let pairs) = node.kind else {
            diagnostics.append(Diagnostic(at: node.location, path: path, "expected a mapping of block parameters such as {mult: 2}, or null for none, found \(node.typeDescription)"))
            return [:]
        }
        var result: [String: BlockParameterValue] = [:]
        var firstLine: [String: Int] = [:]
        for (keyNode, valueNode) in pairs {
            guard case .scalar(let name, _) = keyNode.kind else {
                diagnostics.append(Diagnostic(at: keyNode.location, path: path, "keys must be plain names, found \(keyNode.typeDescription)"))
                continue
            }
            let keyPath = "\(path).\(name)"
            if let line = firstLine[name] {
                diagnostics.append(Diagnostic(at: keyNode.location, path: keyPath, "duplicate key; it is first given at line \(line)"))
                continue
            }
            firstLine[name] = keyNode.location.line
            locations[keyPath] = valueNode.location
            guard case .scalar(let text, let plain) = valueNode.kind else {
                diagnostics.append(Diagnostic(at: valueNode.location, path: keyPath, "expected a number, a boolean or a name, found \(valueNode.typeDescription)"))
                continue
            }
            switch YAMLScalar(text: text, plain: plain && valueNode.tag == nil) {
            case .int(let value): result[name] = .int(value)
            case .float(let value): result[name] = .float(value)
            case .bool(let value): result[name] = .bool(value)
            case .string(let value): result[name] = .string(value)
            case .null:
                diagnostics.append(Diagnostic(at: valueNode.location, path: keyPath, "expected a number, a boolean or a name, found null; remove the key to use the default"))
            }
        }
        return result
    }
}
