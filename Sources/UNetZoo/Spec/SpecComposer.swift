import Foundation

/// Reads a spec file together with the files it extends and merges them into one YAML tree.
///
/// `extends: other.yaml` names a base spec, relative to the directory of the file that names it.
/// The base is read first (it may extend another file in turn) and the extending file is merged
/// over it: mappings merge key by key, while lists and scalars replace. Every node keeps the file
/// and position it came from, so later diagnostics point into the right layer.
struct SpecComposer {
    /// The maximum number of files in one chain of `extends`.
    static let maxChainLength = 16

    var reader: YAMLReader
    var diagnostics: [Diagnostic] = []
    /// The text of every file read, by the path diagnostics name it with.
    var sources: [String: String] = [:]

    init(reader: YAMLReader) {
        self.reader = reader
    }

    /// Reads the file at `path` with its bases and returns the merged tree, or nil when a file could not be read.
    mutating func compose(path: String) -> YAMLNode? {
        compose(path: path, chain: [], reference: nil)
    }

    /// Merges in-memory text named `file` over its bases, which resolve relative to the directory of `file`.
    mutating func compose(data: Data, file: String) -> YAMLNode? {
        guard let root = read(data, file: file) else { return nil }
        return resolveExtends(root, file: file, chain: [canonicalPath(file)])
    }

    private mutating func compose(path: String, chain: [String], reference: YAMLNode?) -> YAMLNode? {
        let location = reference?.location ?? SourceLocation(file: path, line: 1, column: 1)
        let data: Data
        do {
            data = try readBounded(path)
        } catch {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            var reason = "cannot be read"
            if !exists {
                reason = "does not exist"
            } else if isDirectory.boolValue {
                reason = "is a directory"
            }
            let message = reference == nil ? "the spec file \(reason)" : "the base spec \(path) \(reason)"
            diagnostics.append(Diagnostic(at: location, path: reference == nil ? "" : "extends", message))
            return nil
        }
        guard let root = read(data, file: path) else { return nil }
        return resolveExtends(root, file: path, chain: chain + [canonicalPath(path)])
    }

    /// Reads at most one byte more than the reader's size limit, so that a huge file or an endless
    /// device such as /dev/zero is reported as too large instead of filling memory.
    private func readBounded(_ path: String) throws -> Data {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return try handle.read(upToCount: reader.limits.maxBytes + 1) ?? Data()
    }

    private mutating func read(_ data: Data, file: String) -> YAMLNode? {
        do {
            sources[file] = String(decoding: data, as: UTF8.self)
            guard let root = try reader.read(data, file: file) else {
                diagnostics.append(Diagnostic(
                    at: SourceLocation(file: file, line: 1, column: 1), path: "",
                    "the spec is empty; expected a mapping of keys such as dim and dim_mults"))
                return nil
            }
            return root
        } catch let error as SpecError {
            diagnostics += error.diagnostics
            sources.merge(error.sources) { _, new in new }
            return nil
        } catch {
            diagnostics.append(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), path: "", "\(error)"))
            return nil
        }
    }

    /// Merges `root` over the spec its `extends` key names and removes the `extends` key.
    private mutating func resolveExtends(_ root: YAMLNode, file: String, chain: [String]) -> YAMLNode? {
        guard case .mapping(let pairs) = root.kind else { return root }
        let isExtends = { (pair: (key: YAMLNode, value: YAMLNode)) -> Bool in
            if case .scalar("extends", _) = pair.key.kind { return true }
            return false
        }
        let extends = pairs.filter(isExtends)
        guard let reference = extends.first?.value else { return root }
        let own = YAMLNode(.mapping(pairs.filter { !isExtends($0) }), at: root.location, tag: root.tag)
        if extends.count > 1 {
            diagnostics.append(Diagnostic(
                at: extends[1].key.location, path: "extends",
                "duplicate key; it is first given at line \(extends[0].key.location.line); a spec extends one base, which may extend another"))
            return nil
        }
        guard case .scalar(let relative, let plain) = reference.kind, case .string = YAMLScalar(text: relative, plain: plain && reference.tag == nil), !relative.isEmpty else {
            diagnostics.append(Diagnostic(at: reference.location, path: "extends", "expected the path of a base spec such as base.yaml, found \(reference.typeDescription)"))
            return nil
        }
        let directory = (file as NSString).deletingLastPathComponent
        let path = relative.hasPrefix("/") || directory.isEmpty ? relative : "\(directory)/\(relative)"
        let canonical = canonicalPath(path)
        if let start = chain.firstIndex(of: canonical) {
            let names = (chain[start...] + [canonical]).map { ($0 as NSString).lastPathComponent }
            diagnostics.append(Diagnostic(
                at: reference.location, path: "extends",
                "extends forms a cycle: \(names.joined(separator: " -> ")); remove the extends key of one of these files"))
            return nil
        }
        guard chain.count < Self.maxChainLength else {
            diagnostics.append(Diagnostic(
                at: reference.location, path: "extends",
                "the chain of extends is longer than \(Self.maxChainLength) files; merge some of the base specs"))
            return nil
        }
        guard let base = compose(path: path, chain: chain, reference: reference) else { return nil }
        guard case .mapping = base.kind else {
            diagnostics.append(Diagnostic(
                at: base.location, path: "",
                "a base spec must be a mapping of keys such as dim and dim_mults, found \(base.typeDescription)"))
            return nil
        }
        return Self.merge(base, own)
    }

    private func canonicalPath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// The keys that name a registered block, each with the key of that block's parameters.
    /// The parameters belong to one kind of block, so a layer that names another kind drops them.
    static let kindParameterKeys: [(kind: String, parameters: String)] = [
        "block", "attention", "mid_attention", "downsample", "upsample", "time_embedding",
    ].map { ($0, "\($0)_params") }

    /// Merges `overlay` over `base`: mappings merge key by key, recursively; anything else, lists
    /// included, is replaced by the overlay.
    ///
    /// When the overlay names a block kind (`block: convnext`) other than the base's, the base's
    /// parameters of the old kind (`block_params`) are dropped, so none of them is carried over to a
    /// block that may not have them; the overlay's own `block_params`, if any, apply alone.
    /// A key given twice within one layer stays twice, so the decoder still reports the duplicate.
    static func merge(_ base: YAMLNode, _ overlay: YAMLNode) -> YAMLNode {
        guard case .mapping(var basePairs) = base.kind, case .mapping(let overlayPairs) = overlay.kind else {
            return overlay
        }
        for (kind, parameters) in kindParameterKeys {
            if let new = scalarText(of: kind, in: overlayPairs), scalarText(of: kind, in: basePairs) != new {
                basePairs.removeAll { scalarText($0.key) == parameters }
            }
        }
        var pairs = basePairs
        // The first base pair of each key, which the overlay's first pair of that key merges into.
        var baseIndex: [String: Int] = [:]
        for (index, pair) in basePairs.enumerated() {
            if let key = scalarText(pair.key), baseIndex[key] == nil {
                baseIndex[key] = index
            }
        }
        for pair in overlayPairs {
            if let key = scalarText(pair.key), let index = baseIndex.removeValue(forKey: key) {
                pairs[index] = (pair.key, merge(pairs[index].value, pair.value))
            } else {
                pairs.append(pair)
            }
        }
        return YAMLNode(.mapping(pairs), at: overlay.location, tag: overlay.tag)
    }

    private static func scalarText(_ node: YAMLNode) -> String? {
        if case .scalar(let text, _) = node.kind { return text }
        return nil
    }

    private static func scalarText(of key: String, in pairs: [(key: YAMLNode, value: YAMLNode)]) -> String? {
        pairs.first { scalarText($0.key) == key }.flatMap { scalarText($0.value) }
    }
}
