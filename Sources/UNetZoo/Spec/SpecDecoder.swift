import Foundation

/// One key a spec mapping understands: its name, whether a spec must give it, and how its value is
/// decoded into the spec.
///
/// A new key is one entry in `SpecDecoder.topLevelKeys` whose closure calls a decoding method,
/// which may live in an extension of `SpecDecoder` in its own file.
struct SpecKey: Sendable {
    var name: String
    var required: Bool
    /// Decodes the value into the spec; returns false when the value is invalid (after reporting why).
    var decode: @Sendable (inout SpecDecoder, YAMLNode, inout UNetSpec) -> Bool

    init(_ name: String, required: Bool = false, decode: @escaping @Sendable (inout SpecDecoder, YAMLNode, inout UNetSpec) -> Bool) {
        self.name = name
        self.required = required
        self.decode = decode
    }
}

/// Turns a YAML tree into a `UNetSpec`, checking keys and types strictly and recording where each
/// value came from so that later checks can point at it.
///
/// Values the tree does not give keep the defaults of `UNetSpec.init`.
struct SpecDecoder {
    /// The top-level keys in decoding order; `levels` comes after `dim_mults` because its length depends on it.
    static let topLevelKeys: [SpecKey] = [
        SpecKey("name") { SpecDecoder.store($0.name($1, path: "name"), into: &$2.name) },
        SpecKey("image_size", required: true) { SpecDecoder.store($0.imageSize($1), into: &$2.imageSize) },
        SpecKey("channels", required: true) { SpecDecoder.store($0.positiveInt($1, path: "channels"), into: &$2.channels) },
        SpecKey("dim", required: true) { SpecDecoder.store($0.positiveInt($1, path: "dim"), into: &$2.dim) },
        SpecKey("dim_mults", required: true) { SpecDecoder.store($0.dimMults($1), into: &$2.dimMults) },
        SpecKey("resnet_block_groups") { SpecDecoder.store($0.positiveInt($1, path: "resnet_block_groups"), into: &$2.resnetBlockGroups) },
        SpecKey("init_dim") { $0.optionalPositiveInt($1, path: "init_dim", into: &$2.initDim) },
        SpecKey("out_dim") { $0.optionalPositiveInt($1, path: "out_dim", into: &$2.outDim) },
        SpecKey("with_time_emb") { SpecDecoder.store($0.bool($1, path: "with_time_emb"), into: &$2.withTimeEmb) },
        SpecKey("block") { SpecDecoder.store($0.name($1, path: "block"), into: &$2.block) },
        SpecKey("attention") { SpecDecoder.store($0.name($1, path: "attention"), into: &$2.attention) },
        SpecKey("mid_attention") { SpecDecoder.store($0.name($1, path: "mid_attention"), into: &$2.midAttention) },
        SpecKey("downsample") { SpecDecoder.store($0.name($1, path: "downsample"), into: &$2.downsample) },
        SpecKey("upsample") { SpecDecoder.store($0.name($1, path: "upsample"), into: &$2.upsample) },
        SpecKey("time_embedding") { SpecDecoder.store($0.name($1, path: "time_embedding"), into: &$2.timeEmbedding) },
        SpecKey("heads") { SpecDecoder.store($0.positiveInt($1, path: "heads"), into: &$2.heads) },
        SpecKey("dim_head") { SpecDecoder.store($0.positiveInt($1, path: "dim_head"), into: &$2.dimHead) },
        SpecKey("levels") { $0.levels($1, into: &$2) },
        SpecKey("train") { decoder, node, spec in
            spec.train = TrainSpec.decode(node, diagnostics: &decoder.diagnostics)
            return true
        },
    ]

    /// The keys of one entry of `levels`.
    static let levelKeys = ["block", "attention", "groups", "heads", "dim_head"] + levelBlockOptionKeys

    /// Keys that are handled before decoding (by `SpecComposer`) but are offered as suggestions for typos.
    static let layeringKeys = ["extends"]

    /// The largest integer any size, count or multiplier may take. It keeps every product the
    /// analytic checks form (channels times positions, for instance) far from `Int.max`.
    static let maxInteger = 1 << 20

    /// The maximum number of entries of `dim_mults`, because images must be divisible by 2^(levels-1).
    static let maxLevels = 21

    let file: String
    var diagnostics: [Diagnostic] = []
    /// The location of every value the tree gives, by key path (`dim`, `levels.1.groups`).
    var locations: [String: SourceLocation] = [:]
    /// The spec as far as it decodes, with defaults where values are missing or invalid. It is set
    /// even when `decode` returns nil, so that the block names it gives can still be checked.
    var partialSpec: UNetSpec?
    /// False when `dim_mults` is missing or invalid, so the number of levels is unknown.
    private var dimMultsKnown = true

    init(file: String) {
        self.file = file
    }

    /// Decodes the spec, or returns nil when the root is not a mapping or a required key is missing or invalid.
    mutating func decode(_ root: YAMLNode) -> UNetSpec? {
        guard case .mapping = root.kind else {
            error(at: root, path: "", "a spec must be a mapping of keys such as dim and dim_mults, found \(root.typeDescription)")
            return nil
        }
        locations[""] = root.location
        let names = Self.topLevelKeys.map(\.name) + Self.blockOptionKeys
        let values = keyedValues(root, path: "", allowed: names, suggestions: names + Self.layeringKeys)

        var spec = UNetSpec(name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent)
        var complete = true
        for key in Self.topLevelKeys {
            guard let node = values[key.name] else {
                if key.required {
                    error(at: root, path: key.name, "missing required key")
                    complete = false
                    dimMultsKnown = dimMultsKnown && key.name != "dim_mults"
                }
                continue
            }
            if !key.decode(&self, node, &spec) && key.required {
                complete = false
                dimMultsKnown = dimMultsKnown && key.name != "dim_mults"
            }
        }
        decodeBlockOptions(values, into: &spec)
        partialSpec = spec
        return complete ? spec : nil
    }

    // MARK: Structure

    /// Returns the values of a mapping by key, reporting unknown keys (with the nearest known one),
    /// duplicate keys (with both lines) and keys that are not strings.
    mutating func keyedValues(_ node: YAMLNode, path: String, allowed: [String], suggestions: [String]? = nil) -> [String: YAMLNode] {
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
                let place = first.file == keyNode.location.file ? "line \(first.line)" : "\(first.file):\(first.line)"
                error(at: keyNode, path: keyPath, "duplicate key; it is first given at \(place); remove one of them")
                continue
            }
            firstLocation[key] = keyNode.location
            guard allowed.contains(key) else {
                var message = "unknown key"
                if key == "<<" {
                    message += "; YAML 1.2 has no merge key, so use extends: base.yaml or repeat the keys"
                } else if let suggestion = nearestName(to: key, in: suggestions ?? allowed) {
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

    mutating func levels(_ node: YAMLNode, into spec: inout UNetSpec) -> Bool {
        let expected = spec.dimMults.count
        guard case .sequence(let items) = node.kind else {
            error(at: node, path: "levels", "expected a list with one mapping per entry of dim_mults, found \(node.typeDescription)")
            return false
        }
        var valid = true
        if items.count != expected && dimMultsKnown {
            error(at: node, path: "levels", "expected \(expected) entries, one per entry of dim_mults, found \(items.count)")
            valid = false
        }
        var result: [UNetSpec.Level] = []
        for (index, item) in items.enumerated() {
            let path = "levels.\(index)"
            locations[path] = item.location
            var level = UNetSpec.Level()
            guard case .mapping = item.kind else {
                if !isNull(item) {
                    error(at: item, path: path, "expected a mapping of overrides such as {attention: none}, found \(item.typeDescription)")
                    valid = false
                }
                result.append(level)
                continue
            }
            let values = keyedValues(item, path: path, allowed: Self.levelKeys)
            if let node = values["block"] { level.block = name(node, path: "\(path).block") }
            if let node = values["attention"] { level.attention = name(node, path: "\(path).attention") }
            if let node = values["groups"] { level.groups = positiveInt(node, path: "\(path).groups") }
            if let node = values["heads"] { level.heads = positiveInt(node, path: "\(path).heads") }
            if let node = values["dim_head"] { level.dimHead = positiveInt(node, path: "\(path).dim_head") }
            decodeLevelBlockOptions(values, path: path, into: &level)
            result.append(level)
        }
        spec.levels = result
        return valid
    }

    mutating func imageSize(_ node: YAMLNode) -> UNetSpec.ImageSize? {
        if case .sequence(let items) = node.kind {
            guard items.count == 2 else {
                error(at: node, path: "image_size", "expected one size or [height, width], found a list of \(items.count)")
                return nil
            }
            locations["image_size.0"] = items[0].location
            locations["image_size.1"] = items[1].location
            let height = positiveInt(items[0], path: "image_size.0")
            let width = positiveInt(items[1], path: "image_size.1")
            guard let height, let width else { return nil }
            return UNetSpec.ImageSize(height: height, width: width)
        }
        guard let size = positiveInt(node, path: "image_size", expected: "a positive integer or [height, width]") else { return nil }
        return UNetSpec.ImageSize(height: size, width: size)
    }

    mutating func dimMults(_ node: YAMLNode) -> [Int]? {
        guard case .sequence(let items) = node.kind else {
            error(at: node, path: "dim_mults", "expected a list of positive integers such as [1, 2, 4], found \(node.typeDescription)")
            return nil
        }
        guard !items.isEmpty else {
            error(at: node, path: "dim_mults", "expected at least one level such as [1, 2, 4], found an empty list")
            return nil
        }
        guard items.count <= Self.maxLevels else {
            error(at: node, path: "dim_mults", "expected at most \(Self.maxLevels) levels, found \(items.count); every level after the first halves the image")
            return nil
        }
        let values = items.enumerated().map { positiveInt($1, path: "dim_mults.\($0)") }
        return values.contains(nil) ? nil : values.compactMap { $0 }
    }

    /// Stores a decoded value; returns false (leaving the default) when decoding failed.
    static func store<Value>(_ value: Value?, into target: inout Value) -> Bool {
        guard let value else { return false }
        target = value
        return true
    }

    // MARK: Scalars

    func scalar(_ node: YAMLNode) -> YAMLScalar? {
        guard case .scalar(let text, let plain) = node.kind else { return nil }
        return YAMLScalar(text: text, plain: plain && node.tag == nil)
    }

    func isNull(_ node: YAMLNode) -> Bool {
        scalar(node) == .null
    }

    /// Decodes an integer in `1...maxInteger`, or reports what was found and returns nil.
    mutating func positiveInt(_ node: YAMLNode, path: String, expected: String = "a positive integer") -> Int? {
        guard case .int(let value) = scalar(node) else {
            error(at: node, path: path, "expected \(expected), found \(node.typeDescription)\(typeHint(node, expected: .integer))")
            return nil
        }
        guard value > 0 else {
            error(at: node, path: path, "expected \(expected), found \(value)")
            return nil
        }
        guard value <= Self.maxInteger else {
            error(at: node, path: path, "expected \(expected) of at most \(Self.maxInteger), found \(value)")
            return nil
        }
        return value
    }

    /// A positive integer or null (which keeps the default); returns false when the value is neither.
    mutating func optionalPositiveInt(_ node: YAMLNode, path: String, into target: inout Int?) -> Bool {
        if isNull(node) {
            target = nil
            return true
        }
        guard let value = positiveInt(node, path: path, expected: "a positive integer or null") else { return false }
        target = value
        return true
    }

    mutating func bool(_ node: YAMLNode, path: String) -> Bool? {
        guard case .bool(let value) = scalar(node) else {
            error(at: node, path: path, "expected true or false, found \(node.typeDescription)\(typeHint(node, expected: .boolean))")
            return nil
        }
        return value
    }

    /// Decodes a registered block name such as `resnet`: a plain or quoted string.
    mutating func name(_ node: YAMLNode, path: String) -> String? {
        if case .scalar(let text, _) = node.kind, case .string = scalar(node) {
            return text
        }
        error(at: node, path: path, "expected a name, found \(node.typeDescription)")
        return nil
    }

    enum ExpectedType {
        case integer, boolean
    }

    /// Explains why a scalar that looks like the expected type is not one under the YAML 1.2 core schema; returns "" otherwise.
    func typeHint(_ node: YAMLNode, expected: ExpectedType) -> String {
        guard case .scalar(let text, let plain) = node.kind else { return "" }
        let digits = text.drop { $0 == "-" || $0 == "+" }
        let allDigits = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
        switch expected {
        case .integer:
            if !plain && Int(text) != nil {
                return "; quotes make a value a string, so write \(text) without them"
            }
            if plain && allDigits && digits.count > 1 && digits.first == "0" {
                let trimmed = digits.drop { $0 == "0" }
                return "; a leading zero makes a plain scalar a string in YAML 1.2 (YAML 1.1 read it as octal), so write \(trimmed.isEmpty ? "0" : String(trimmed))"
            }
            if plain && text.contains(":") && text.split(separator: ":").allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }) {
                return "; YAML 1.2 reads the base-60 form as a string (YAML 1.1 read it as a number); write [height, width] for a size or one integer"
            }
            if case .float(let value) = scalar(node), value.rounded() == value, abs(value) < 1e15 {
                return "; write the integer \(Int(value)) without a decimal point or exponent"
            }
        case .boolean:
            if plain && ["yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"].contains(text) {
                return "; YAML 1.2 reads \(text) as a string (YAML 1.1 read it as a boolean), so write true or false"
            }
            if !plain && ["true", "false"].contains(text) {
                return "; quotes make a value a string, so write \(text) without them"
            }
        }
        return ""
    }

    // MARK: Reporting

    mutating func error(at node: YAMLNode, path: String, _ message: String) {
        diagnostics.append(Diagnostic(at: node.location, path: path, message))
    }

    func join(_ path: String, _ key: String) -> String {
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
