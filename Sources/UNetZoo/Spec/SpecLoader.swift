import Foundation

/// Everything learned from loading one spec: the spec when it decodes, every diagnostic, and
/// where each given value came from.
public struct SpecResolution: Sendable {
    /// The decoded spec with defaults applied, or nil when a required key is missing or invalid.
    public var spec: UNetSpec?
    /// Errors and warnings in the order they were found.
    public var diagnostics: [Diagnostic]
    /// The location of every value the files or overrides give, by key path (`dim`, `levels.1.groups`);
    /// a key path that is absent here takes its default.
    public var given: [String: SourceLocation]
    /// The text of every file involved, by the name diagnostics use, for rendering source lines.
    public var sources: [String: String]
    /// The one document that the files and overrides compose to, with `extends` already merged,
    /// or nil when it could not be read. `YAMLWriter` turns it into a self-contained spec.
    public var document: YAMLNode? = nil

    /// True when the spec decoded and no diagnostic is an error.
    public var isValid: Bool {
        spec != nil && !diagnostics.contains { $0.severity == .error }
    }

    /// The diagnostics as a `SpecError`, for throwing.
    public var error: SpecError {
        SpecError(diagnostics, sources: sources)
    }
}

/// Loads spec files into `UNetSpec` values, gathering every problem of a file, of the files it
/// extends and of the overrides into one `SpecResolution`.
public struct SpecLoader {
    public var reader = YAMLReader()
    /// The blocks that spec names are checked against.
    public var registry: BlockRegistry
    public var limits = SpecValidator.Limits()

    public init(registry: BlockRegistry = .standard) {
        self.registry = registry
    }

    /// Reads, decodes and validates the spec at `path`.
    ///
    /// - Parameter overrides: `key.path=value` texts applied in order after the files are merged.
    /// - Throws: `SpecError` with every diagnostic found, each carrying `file:line:col` and the key path.
    public func load(path: String, overrides: [String] = []) throws -> UNetSpec {
        let resolution = resolve(path: path, overrides: overrides)
        guard let spec = resolution.spec, resolution.isValid else { throw resolution.error }
        return spec
    }

    /// Decodes spec text. `file` names it in diagnostics and its stem is the default `name`.
    /// An `extends` path in the text is relative to the directory of `file`.
    public func load(data: Data, file: String, overrides: [String] = []) throws -> UNetSpec {
        let resolution = resolve(data: data, file: file, overrides: overrides)
        guard let spec = resolution.spec, resolution.isValid else { throw resolution.error }
        return spec
    }

    /// Loads the spec at `path` without throwing: the spec (when it decodes) with every diagnostic.
    public func resolve(path: String, overrides: [String] = []) -> SpecResolution {
        var composer = SpecComposer(reader: reader)
        let root = composer.compose(path: path)
        return finish(root, file: path, composer: composer, overrides: overrides)
    }

    /// Loads spec text named `file` without throwing.
    public func resolve(data: Data, file: String, overrides: [String] = []) -> SpecResolution {
        var composer = SpecComposer(reader: reader)
        let root = composer.compose(data: data, file: file)
        return finish(root, file: file, composer: composer, overrides: overrides)
    }

    private func finish(_ composed: YAMLNode?, file: String, composer: SpecComposer, overrides: [String]) -> SpecResolution {
        var diagnostics = composer.diagnostics
        var sources = composer.sources
        if !overrides.isEmpty {
            sources[SpecOverride.file] = SpecOverride.source(overrides)
        }

        // Overrides are parsed even when the files failed, so that a bad override is reported too.
        var root = composed
        for (index, text) in overrides.enumerated() {
            switch SpecOverride.parse(text, index: index, reader: reader) {
            case .failure(let error):
                diagnostics += error.diagnostics
            case .success(let override):
                guard let current = root else { continue }
                switch override.apply(to: current) {
                case .success(let applied): root = applied
                case .failure(let error): diagnostics += error.diagnostics
                }
            }
        }
        guard let root else {
            return SpecResolution(spec: nil, diagnostics: capped(diagnostics), given: [:], sources: sources)
        }

        var decoder = SpecDecoder(file: file)
        let spec = decoder.decode(root)
        diagnostics += decoder.diagnostics
        var validator = SpecValidator(registry: registry)
        validator.limits = limits
        if let spec {
            diagnostics += validator.validate(spec, locations: decoder.locations)
        } else if let partial = decoder.partialSpec {
            // an incomplete spec cannot be planned, but its block names can be checked in the same round
            diagnostics += validator.unknownNames(partial, locations: decoder.locations)
        }
        return SpecResolution(
            spec: spec, diagnostics: capped(diagnostics), given: decoder.locations.filter { !$0.key.isEmpty },
            sources: sources, document: root)
    }

    /// The maximum number of diagnostics one spec reports. A file with thousands of mistakes
    /// usually repeats one mistake, and rendering all of them would flood the terminal.
    public static let maxDiagnostics = 100

    /// Keeps the first `maxDiagnostics` diagnostics and, when there are more, adds one that counts the rest.
    private func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > Self.maxDiagnostics else { return diagnostics }
        let rest = diagnostics[Self.maxDiagnostics...]
        let errors = rest.filter { $0.severity == .error }.count
        let note = Diagnostic(
            errors > 0 ? .error : .warning, at: rest.first!.location, path: "",
            "\(rest.count) more problems (\(errors) of them errors) are not shown; fix the ones above first")
        return Array(diagnostics.prefix(Self.maxDiagnostics)) + [note]
    }
}
