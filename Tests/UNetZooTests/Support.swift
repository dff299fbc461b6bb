import Foundation
@testable import UNetZoo

/// The package root, found from this file's location, for reading `specs/` and `Tests/Parity/`.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func specPath(_ name: String) -> String {
    packageRoot.appendingPathComponent("specs/\(name)").path
}

/// Loads spec text given inline, named `file` in diagnostics.
func loadSpec(_ text: String, file: String = "test.yaml", registry: BlockRegistry = .standard) throws -> UNetSpec {
    try SpecLoader(registry: registry).load(data: Data(text.utf8), file: file)
}

/// The rendered diagnostics of spec text that must fail to load.
func diagnostics(_ text: String, file: String = "test.yaml") -> String {
    do {
        _ = try loadSpec(text, file: file)
        return "<loaded without error>"
    } catch let error as SpecError {
        return error.description
    } catch {
        return "<unexpected \(error)>"
    }
}

/// Renders every diagnostic of spec text, errors and warnings alike, whether or not it loads.
func allDiagnostics(_ text: String, file: String = "test.yaml") -> String {
    let resolution = SpecLoader().resolve(data: Data(text.utf8), file: file)
    return resolution.error.description
}
