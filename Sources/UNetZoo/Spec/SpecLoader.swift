import Foundation

/// Loads spec files into `UNetSpec` values, gathering every problem of a file into one `SpecError`.
public struct SpecLoader {
    public var reader = YAMLReader()
    /// The blocks that spec names are checked against.
    public var registry: BlockRegistry

    public init(registry: BlockRegistry = .standard) {
        self.registry = registry
    }

    /// Reads and decodes the spec at `path`.
    ///
    /// - Throws: `SpecError` with every diagnostic found, each carrying `file:line:col` and the key path.
    public func load(path: String) throws -> UNetSpec {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw SpecError([Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), path: "", "the spec file \(reason)")])
        }
        return try load(data: data, file: path)
    }

    /// Decodes spec text; `file` names it in diagnostics, and its stem is the default `name`.
    public func load(data: Data, file: String) throws -> UNetSpec {
        let source = String(decoding: data, as: UTF8.self)
        guard let root = try reader.read(data, file: file) else {
            throw SpecError([Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), path: "", "the spec is empty; expected a mapping of keys such as dim and dim_mults")], sources: [file: source])
        }
        var decoder = SpecDecoder(file: file)
        let spec = decoder.decode(root)
        let diagnostics = decoder.diagnostics + (spec.map { SpecValidator(registry: registry).validate($0, locations: decoder.locations) } ?? [])
        guard let spec, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw SpecError(diagnostics, sources: [file: source])
        }
        return spec
    }
}
