import Foundation

/// Turns a YAML tree into a `UNetSpec`, checking keys and types strictly and recording where each
/// value came from so that later checks can point at it.
struct SpecDecoder {
    static let topLevelKeys = [
        "name", "image_size", "channels", "dim", "dim_mults", "resnet_block_groups", "init_dim", "out_dim",
        "with_time_emb", "block", "attention", "mid_attention", "downsample", "upsample", "time_embedding",
        "heads", "dim_head", "levels", "train",
    ]
    static let levelKeys = ["block", "attention", "groups", "heads", "dim_head"]

    let file: String
    var diagnostics: [Diagnostic] = []
    /// The location of every decoded value by key path (`dim`, `levels.1.groups`).
    var locations: [String: SourceLocation] = [:]

    init(file: String) {
        self.file = file
    }

    /// The spec, or nil when the root is not a mapping or a required key is missing or invalid.
    mutating func decode(_ root: YAMLNode) -> UNetSpec? {
        guard case .mapping = root.kind else {
            error(at: root, path: "", "a spec must be a mapping of keys such as dim and dim_mults, found \(root.typeDescription)")
            return nil
        }
        locations[""] = root.location
        let values = keyedValues(root, path: "", allowed: Self.topLevelKeys)

        var spec = UNetSpec(name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        var complete = true
        if let node = values["name"], let value = string(node, path: "name") { spec.name = value }
        if let node = values["image_size"] {
            if let value = imageSize(node) { spec.imageSize = value } else { complete = false }
        } else {
            missing("image_size", in: root)
            complete = false
        }
        for (key, keyPath) in [("channels", \UNetSpec.channels), ("dim", \.dim)] {
            if let node = values[key] {
                if let value = positiveInt(node, path: key) { spec[keyPath: keyPath] = value } else { complete = false }
            } else {
                missing(key, in: root)
                complete = false
            }
        }
        if let node = values["dim_mults"] {
            if let value = positiveIntList(node, path: "dim_mults") { spec.dimMults = value } else { complete = false }
        } else {
            missing("dim_mults", in: root)
            complete = false
        }
        for (key, keyPath) in [("resnet_block_groups", \UNetSpec.resnetBlockGroups), ("heads", \.heads), ("dim_head", \.dimHead)] {
            if let node = values[key], let value = positiveInt(node, path: key) { spec[keyPath: keyPath] = value }
        }
        for (key, keyPath) in [("init_dim", \UNetSpec.initDim), ("out_dim", \.outDim)] {
            if let node = values[key], !isNull(node), let value = positiveInt(node, path: key) { spec[keyPath: keyPath] = value }
        }
        if let node = values["with_time_emb"], let value = bool(node, path: "with_time_emb") { spec.withTimeEmb = value }
        let names: [(String, WritableKeyPath<UNetSpec, String>)] = [
            ("block", \.block), ("attention", \.attention), ("mid_attention", \.midAttention),
            ("downsample", \.downsample), ("upsample", \.upsample), ("time_embedding", \.timeEmbedding),
        ]
        for (key, keyPath) in names {
            if let node = values[key], let value = string(node, path: key) { spec[keyPath: keyPath] = value }
        }
        if let node = values["levels"] {
            spec.levels = levels(node, expected: spec.dimMults.count)
        }
        if let node = values["train"] { spec.train = TrainSpec.decode(node, diagnostics: &diagnostics) }
        return complete ? spec : nil
    }

    // MARK: Structure

    /// The values of a mapping by key, reporting unknown keys (with the nearest known one),
    /// duplicate keys (with both lines) and keys that are not strings.
    private mutating func keyedValues(_ node: YAMLNode, path: String, allowed: [String]) -> [String: YAMLNode] {
        guard case .mapping(let pairs) = node.kind else { return [:] }
        var values: [String: YAMLNode] = [:]
        var firstLocation: [String: SourceLocation] = [:]
        for (keyNode, value) in pairs {
            guard case .scalar(let key, _) = keyNode.kind else {
                error(at: keyNode, path: path, "keys must be plain names, found \(keyNode.typeDescription)")
                continue
            }
            let keyPath = join(path, key)
            if let first = firstLocation[key] {
                error(at: keyNode, path: keyPath, "duplicate key; it is first given at line \(first.line)")
                continue
            }
            firstLocation[key] = keyNode.location
            guard allowed.contains(key) else {
                var message = "unknown key"
                if let suggestion = nearestName(to: key, in: allowed) {
                    message += "; did you mean '\(suggestion)'?"
                } else {
                    message += "; known keys: \(allowed.joined(separator: ", "))"
                }
                error(at: keyNode, path: keyPath, message)
                continue
            }
            values[key] = value
            locations[keyPath] = value.location
        }
        return values
    }

    private mutating func levels(_ node: YAMLNode, expected: Int) -> [UNetSpec.Level] {
        guard case .sequence(let items) = node.kind else {
            error(at: node, path: "levels", "expected a list with one mapping per entry of dim_mults, found \(node.typeDescription)")
            return []
        }
        if items.count != expected {
            error(at: node, path: "levels", "expected \(expected) entries, one per entry of dim_mults, found \(items.count)")
        }
        var result: [UNetSpec.Level] = []
        for (index, item) in items.enumerated() {
            let path = "levels.\(index)"
            locations[path] = item.location
            var level = UNetSpec.Level()
            guard case .mapping = item.kind else {
                if !isNull(item) {
                    error(at: item, path: path, "expected a mapping of overrides such as {attention: none}, found \(item.typeDescription)")
                }
                result.append(level)
                continue
            }
            let values = keyedValues(item, path: path, allowed: Self.levelKeys)
            if let node = values["block"] { level.block = string(node, path: "\(path).block") }
            if let node = values["attention"] { level.attention = string(node, path: "\(path).attention") }
            if let node = values["groups"] { level.groups = positiveInt(node, path: "\(path).groups") }
            if let node = values["heads"] { level.heads = positiveInt(node, path: "\(path).heads") }
            if let node = values["dim_head"] { level.dimHead = positiveInt(node, path: "\(path).dim_head") }
            result.append(level)
        }
        return result
    }

    private mutating func imageSize(_ node: YAMLNode) -> UNetSpec.ImageSize? {
        if case .sequence(let items) = node.kind {
            guard items.count == 2 else {
                error(at: node, path: "image_size", "expected one size or [height, width], found a list of \(items.count)")
                return nil
            }
            guard let height = positiveInt(items[0], path: "image_size.0"),
                  let width = positiveInt(items[1], path: "image_size.1") else { return nil }
            return UNetSpec.ImageSize(height: height, width: width)
        }
        guard let size = positiveInt(node, path: "image_size", expected: "a positive integer or [height, width]") else { return nil }
        return UNetSpec.ImageSize(height: size, width: size)
    }

    // MARK: Scalars

    private func scalar(_ node: YAMLNode) -> YAMLScalar? {
        guard case .scalar(let text, let plain) = node.kind else { return nil }
        return YAMLScalar(text: text, plain: plain && node.tag == nil)
    }

    private func isNull(_ node: YAMLNode) -> Bool {
        scalar(node) == .null
    }

    private mutating func positiveInt(_ node: YAMLNode, path: String, expected: String = "a positive integer") -> Int? {
        guard case .int(let value) = scalar(node) else {
            error(at: node, path: path, "expected \(expected), found \(node.typeDescription)")
            return nil
        }
        guard value > 0 else {
            error(at: node, path: path, "expected \(expected), found \(value)")
            return nil
        }
        return value
    }

    private mutating func positiveIntList(_ node: YAMLNode, path: String) -> [Int]? {
        guard case .sequence(let items) = node.kind else {
            error(at: node, path: path, "expected a list of positive integers such as [1, 2, 4], found \(node.typeDescription)")
            return nil
        }
        guard !items.isEmpty else {
            error(at: node, path: path, "expected at least one level, found an empty list")
            return nil
        }
        let values = items.enumerated().map { positiveInt($1, path: "\(path).\($0)") }
        return values.contains(nil) ? nil : values.compactMap { $0 }
    }

    private mutating func bool(_ node: YAMLNode, path: String) -> Bool? {
        guard case .bool(let value) = scalar(node) else {
            error(at: node, path: path, "expected true or false, found \(node.typeDescription)")
            return nil
        }
        return value
    }

    private mutating func string(_ node: YAMLNode, path: String) -> String? {
        if case .scalar(let text, _) = node.kind, case .string = scalar(node) {
            return text
        }
        error(at: node, path: path, "expected a name, found \(node.typeDescription)")
        return nil
    }

    // MARK: Reporting

    private mutating func missing(_ key: String, in root: YAMLNode) {
        error(at: root, path: key, "missing required key")
    }

    private mutating func error(at node: YAMLNode, path: String, _ message: String) {
        diagnostics.append(Diagnostic(at: node.location, path: path, message))
    }

    private func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }
}

/// The known name closest to `word` by edit distance, when it is close enough to be a likely typo.
public func nearestName(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word, $0)) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= max(2, word.count / 3) ? best.0 : nil
}

/// Levenshtein distance between two strings, by characters.
func editDistance(_ a: String, _ b: String) -> Int {
    let left = Array(a)
    let right = Array(b)
    var previous = Array(0...right.count)
    for (i, leftCharacter) in left.enumerated() {
        var current = [i + 1] + Array(repeating: 0, count: right.count)
        for (j, rightCharacter) in right.enumerated() {
            current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (leftCharacter == rightCharacter ? 0 : 1))
        }
        previous = current
    }
    return previous[right.count]
}
