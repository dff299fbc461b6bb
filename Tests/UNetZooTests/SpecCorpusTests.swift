import Foundation
import Testing
import Torch
@testable import UNetZoo

/// The spec corpus in `Specs/`: every invalid spec beside the whole diagnostic it must produce,
/// and valid specs that must validate and build a network whose output has the input's shape.
///
/// A corpus spec's leading `# set: key.path=value` lines are passed as overrides, as
/// `unetzoo validate --set` would pass them. Paths in diagnostics are relative to `Specs/`.
@Suite struct SpecCorpusTests {
    static let corpus = packageRoot.appendingPathComponent("Tests/UNetZooTests/Specs")

    static func specs(in folder: String) -> [String] {
        let directory = corpus.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
    }

    /// Returns the overrides that a corpus spec lists in its `# set:` lines.
    static func overrides(of path: String) throws -> [String] {
        let text = String(decoding: try Data(contentsOf: corpus.appendingPathComponent(path)), as: UTF8.self)
        return text.split(separator: "\n").filter { $0.hasPrefix("# set: ") }.map { String($0.dropFirst("# set: ".count)) }
    }

    static func resolve(_ path: String) throws -> SpecResolution {
        SpecLoader().resolve(path: corpus.appendingPathComponent(path).path, overrides: try overrides(of: path))
    }

    /// Rendered diagnostics with the corpus folder removed from file names.
    static func rendered(_ resolution: SpecResolution) -> String {
        resolution.error.description.replacingOccurrences(of: corpus.path + "/", with: "")
    }

    @Test func corpusHoldsFortyInvalidSpecs() {
        #expect(Self.specs(in: "invalid").count >= 40)
    }

    @Test(arguments: specs(in: "invalid"))
    func invalidSpecGivesExpectedDiagnostics(path: String) throws {
        let expectedURL = Self.corpus.appendingPathComponent(path).deletingPathExtension().appendingPathExtension("expected")
        let expected = String(decoding: try Data(contentsOf: expectedURL), as: UTF8.self)

        let resolution = try Self.resolve(path)

        #expect(!resolution.isValid)
        #expect(Self.rendered(resolution) + "\n" == expected)
    }

    @Test(arguments: specs(in: "invalid"))
    func everyDiagnosticHasFileLineAndColumn(path: String) throws {
        let resolution = try Self.resolve(path)

        #expect(!resolution.diagnostics.isEmpty)
        for diagnostic in resolution.diagnostics {
            #expect(!diagnostic.location.file.isEmpty)
            #expect(diagnostic.location.line >= 1)
            #expect(diagnostic.location.column >= 1)
            #expect(resolution.sources[diagnostic.location.file] != nil, "no source text for \(diagnostic.location.file)")
        }
    }

    @Test(arguments: specs(in: "valid"))
    func validSpecBuildsWithInputShape(path: String) throws {
        let resolution = try Self.resolve(path)
        #expect(resolution.diagnostics.isEmpty, "\(Self.rendered(resolution))")
        let spec = try #require(resolution.spec)

        try Torch.manualSeed(0)
        let model = try UNetBuilder().build(spec)
        let result = try model.timedForward(batch: 2)

        #expect(result.outputShape == result.inputShape)
        #expect(Double(model.parameterCount) == UNetPlan(spec: spec).analyticParameterCount)
    }

    @Test func validCorpusCoversRequiredVariants() throws {
        let specs = try Self.specs(in: "valid").map { try #require(Self.resolve($0).spec) }

        #expect(specs.contains { $0.imageSize.height != $0.imageSize.width })
        #expect(specs.contains { !$0.levels.isEmpty })
        #expect(specs.contains { $0.dimMults.first != 1 })
        #expect(specs.contains { !$0.withTimeEmb })
    }
}
