import Foundation

/// One `--set key.path=value` override of a spec, applied to the YAML tree before decoding so
/// that the value is typed and checked by the same schema as a value in the file.
///
/// Diagnostics about an override point into it: override number N is line N of the pseudo-file
/// `<--set>`, whose text is every override, one per line.
struct SpecOverride {
    /// The pseudo-file name of overrides in diagnostics.
    static let file = "<--set>"

    struct Segment {
        var key: String
        var location: SourceLocation
    }

    var segments: [Segment]
    var value: YAMLNode

    /// Returns the text of the pseudo-file `<--set>` for rendering diagnostics.
    static func source(_ overrides: [String]) -> String {
        // A line break inside one override would shift the line numbers of the ones after it.
        // NOTE: columns on the second and later lines of a multi-line value are therefore approximate.
        overrides.map { $0.replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\n")
    }

    /// Parses override number `index` (0-based), or returns the diagnostics of a malformed one.
    static func parse(_ text: String, index: Int, reader: YAMLReader) -> Result<SpecOverride, SpecError> {
        let line = index + 1
        func location(_ offset: Int) -> SourceLocation {
            SourceLocation(file: file, line: line, column: offset + 1)
        }
        guard let equals = text.firstIndex(of: "=") else {
            return .failure(SpecError([Diagnostic(at: location(0), path: "", "expected key.path=value such as dim=64 or levels.1.attention=none, found no '='")]))
        }
        let keyText = text[..<equals]
        var segments: [Segment] = []
        var offset = 0
        for part in keyText.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, !part.contains(where: \.isWhitespace) else {
                return .failure(SpecError([Diagnostic(at: location(offset), path: String(keyText), "expected a dotted key path such as levels.1.groups, found '\(keyText)'")]))
            }
            segments.append(Segment(key: String(part), location: location(offset)))
            offset += part.count + 1
        }
        if segments.first?.key == "extends" {
            return .failure(SpecError([Diagnostic(at: location(0), path: "extends", "extends cannot be overridden because overrides apply after the files are merged; write extends in the spec file")]))
        }

        let valueOffset = text.distance(from: text.startIndex, to: equals) + 1
        let valueText = String(text[text.index(after: equals)...])
        let value: YAMLNode
        do {
            let node = try reader.read(Data(valueText.utf8), file: file)
            value = relocated(node ?? YAMLNode(.scalar("", plain: true), at: location(valueOffset)), line: line, columnOffset: valueOffset)
        } catch let error as SpecError {
            let moved = error.diagnostics.map { diagnostic -> Diagnostic in
                var copy = diagnostic
                copy.location = location(valueOffset + diagnostic.location.column - 1)
                copy.path = String(keyText)
                return copy
            }
            return .failure(SpecError(moved))
        } catch {
            return .failure(SpecError([Diagnostic(at: location(valueOffset), path: String(keyText), "\(error)")]))
        }
        return .success(SpecOverride(segments: segments, value: value))
    }

    /// Moves every location of the node from line 1 of the value text to its place in the override.
    private static func relocated(_ node: YAMLNode, line: Int, columnOffset: Int) -> YAMLNode {
        var copy = node
        copy.location = SourceLocation(file: file, line: line, column: node.location.column + columnOffset)
        switch node.kind {
        case .scalar:
            break
        case .sequence(let items):
            copy.kind = .sequence(items.map { relocated($0, line: line, columnOffset: columnOffset) })
        case .mapping(let pairs):
            copy.kind = .mapping(pairs.map { (relocated($0.key, line: line, columnOffset: columnOffset), relocated($0.value, line: line, columnOffset: columnOffset)) })
        }
        return copy
    }

    /// Applies this override to `root`: the value at the key path is merged with the new value
    /// (so a mapping merges and anything else is replaced), creating mappings on the way as needed.
    func apply(to root: YAMLNode) -> Result<YAMLNode, SpecError> {
        apply(to: root, at: segments[...], parentKey: nil, root: root)
    }

    private func apply(to node: YAMLNode?, at path: ArraySlice<Segment>, parentKey: String?, root: YAMLNode) -> Result<YAMLNode, SpecError> {
        guard let segment = path.first else {
            return .success(node.map { SpecComposer.merge($0, value) } ?? value)
        }
        let rest = path.dropFirst()
        let walked = segments[..<path.startIndex].map(\.key).joined(separator: ".")
        let here = walked.isEmpty ? segment.key : "\(walked).\(segment.key)"
        func failure(_ message: String) -> Result<YAMLNode, SpecError> {
            .failure(SpecError([Diagnostic(at: segment.location, path: here, message)]))
        }

        switch node?.kind {
        case .mapping(let pairs)?:
            var pairs = pairs
            // A new block kind drops the parameters of the old kind, as in extends layers.
            if rest.isEmpty, let parameters = SpecComposer.kindParameterKeys.first(where: { $0.kind == segment.key })?.parameters {
                let old = pairs.last(where: { keyText($0.key) == segment.key })?.value
                if old.flatMap(keyText) != keyText(value) {
                    pairs.removeAll { keyText($0.key) == parameters }
                }
            }
            if let index = pairs.lastIndex(where: { keyText($0.key) == segment.key }) {
                switch apply(to: pairs[index].value, at: rest, parentKey: segment.key, root: root) {
                case .success(let child): pairs[index].value = child
                case .failure(let error): return .failure(error)
                }
            } else {
                switch apply(to: nil, at: rest, parentKey: segment.key, root: root) {
                case .success(let child): pairs.append((YAMLNode(.scalar(segment.key, plain: true), at: segment.location), child))
                case .failure(let error): return .failure(error)
                }
            }
            return .success(YAMLNode(.mapping(pairs), at: node!.location, tag: node!.tag))

        case .sequence(let items)?:
            guard let index = Int(segment.key), index >= 0 else {
                return failure("\(walked) is a list, so the next part of the key path must be an index from 0 to \(items.count - 1), found '\(segment.key)'")
            }
            guard index < items.count else {
                return failure("\(walked) has \(items.count) entries, so index \(index) is out of range; use 0 to \(items.count - 1)")
            }
            var items = items
            switch apply(to: items[index], at: rest, parentKey: nil, root: root) {
            case .success(let child): items[index] = child
            case .failure(let error): return .failure(error)
            }
            return .success(YAMLNode(.sequence(items), at: node!.location, tag: node!.tag))

        case .scalar?:
            if let node, case .null = YAMLScalar(text: keyText(node) ?? "", plain: true) {
                return apply(to: nil, at: path, parentKey: parentKey, root: root)
            }
            return failure("\(walked) is \(node!.typeDescription), which has no key '\(segment.key)'")

        case nil:
            if let index = Int(segment.key), index >= 0 {
                // A per-level list that the spec leaves out gets one empty entry per level.
                let length = max(index + 1, parentKey == "levels" ? levelCount(root) : 0)
                let empty = YAMLNode(.scalar("", plain: true), at: segment.location)
                let list = YAMLNode(.sequence(Array(repeating: empty, count: length)), at: segment.location)
                return apply(to: list, at: path, parentKey: parentKey, root: root)
            }
            let mapping = YAMLNode(.mapping([]), at: segment.location)
            return apply(to: mapping, at: path, parentKey: parentKey, root: root)
        }
    }

    private func keyText(_ node: YAMLNode) -> String? {
        if case .scalar(let text, _) = node.kind { return text }
        return nil
    }

    /// Counts the entries of `dim_mults` in the tree; returns 0 when it is not a list.
    private func levelCount(_ root: YAMLNode) -> Int {
        guard case .mapping(let pairs) = root.kind,
              let mults = pairs.last(where: { keyText($0.key) == "dim_mults" })?.value,
              case .sequence(let items) = mults.kind else { return 0 }
        return items.count
    }
}
