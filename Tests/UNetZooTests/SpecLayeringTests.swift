import Foundation
import Testing
@testable import UNetZoo

/// `extends` layers and `--set` overrides: how values merge and where their diagnostics point.
@Suite struct SpecLayeringTests {
    static let tiny = """
        image_size: 16
        channels: 1
        dim: 8
        dim_mults: [1, 2]
        resnet_block_groups: 4
        """

    /// Writes files into a new temporary folder and returns its path.
    func folder(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-layers-\(UUID().uuidString)")
        for (name, text) in files {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return directory.path
    }

    @Test func extendsMergesMappingsAndReplacesLists() throws {
        let directory = try folder([
            "bases/base.yaml": Self.tiny + "\nlevels: [{attention: none}, {groups: 2}]\n",
            "child.yaml": "extends: bases/base.yaml\ndim_mults: [1, 2, 2]\nlevels: [{}, {}, {attention: none}]\nheads: 2\n",
        ])

        let resolution = SpecLoader().resolve(path: "\(directory)/child.yaml")
        let spec = try #require(resolution.spec)

        #expect(resolution.diagnostics.isEmpty)
        #expect(spec.name == "child")
        #expect(spec.dim == 8)
        #expect(spec.dimMults == [1, 2, 2])
        #expect(spec.levels == [UNetSpec.Level(), UNetSpec.Level(), UNetSpec.Level(attention: "none")])
        #expect(spec.heads == 2)
        #expect(resolution.given["dim"]?.file == "\(directory)/bases/base.yaml")
        #expect(resolution.given["heads"] == SourceLocation(file: "\(directory)/child.yaml", line: 4, column: 8))
    }

    @Test func extendsChainsThroughSeveralFiles() throws {
        let directory = try folder([
            "a.yaml": Self.tiny,
            "b.yaml": "extends: a.yaml\ndim: 16\n",
            "c.yaml": "extends: b.yaml\nchannels: 3\n",
        ])

        let spec = try SpecLoader().load(path: "\(directory)/c.yaml")

        #expect(spec.dim == 16)
        #expect(spec.channels == 3)
        #expect(spec.resnetBlockGroups == 4)
    }

    @Test func selfExtensionIsACycle() throws {
        let directory = try folder(["self.yaml": "extends: ./self.yaml\n" + Self.tiny])

        let rendered = SpecLoader().resolve(path: "\(directory)/self.yaml").error.description

        #expect(rendered == """
            \(directory)/self.yaml:1:10: error: extends: extends forms a cycle: self.yaml -> self.yaml; remove the extends key of one of these files
            extends: ./self.yaml
                     ^
            """)
    }

    @Test func changedKindDropsOldParameters() throws {
        let base = try #require(try YAMLReader().read(Data("block: convnext\nblock_params: {mult: 3}\nattention: linear\n".utf8), file: "base.yaml"))
        let sameKind = try #require(try YAMLReader().read(Data("block: convnext\n".utf8), file: "a.yaml"))
        let otherKind = try #require(try YAMLReader().read(Data("block: resnet\n".utf8), file: "b.yaml"))
        let otherKindWithParameters = try #require(try YAMLReader().read(Data("block: scale_shift_resnet\nblock_params: {dropout: 0.1}\n".utf8), file: "c.yaml"))

        #expect(topLevelKeys(SpecComposer.merge(base, sameKind)) == ["block", "block_params", "attention"])
        #expect(topLevelKeys(SpecComposer.merge(base, otherKind)) == ["block", "attention"])
        #expect(keys(of: "block_params", in: SpecComposer.merge(base, otherKindWithParameters)) == ["dropout"])
    }

    @Test func overrideOfKindDropsOldParameters() throws {
        let root = try #require(try YAMLReader().read(Data("block: convnext\nblock_params: {mult: 3}\n".utf8), file: "a.yaml"))
        let newKind = try SpecOverride.parse("block=resnet", index: 0, reader: YAMLReader()).get()
        let sameKind = try SpecOverride.parse("block=convnext", index: 0, reader: YAMLReader()).get()

        #expect(topLevelKeys(try newKind.apply(to: root).get()) == ["block"])
        #expect(topLevelKeys(try sameKind.apply(to: root).get()) == ["block", "block_params"])
    }

    @Test func layerChangingBlockKindLoadsWithoutOldParameters() throws {
        let directory = try folder([
            "base.yaml": Self.tiny + "\nblock: convnext\nblock_params: {mult: 3}\n",
            "variant.yaml": "extends: base.yaml\nblock: resnet\n",
        ])

        let spec = try SpecLoader().load(path: "\(directory)/variant.yaml")

        #expect(spec.block == "resnet")
        #expect(spec.blockParameters["block"] == nil)
    }

    /// Returns the top-level keys of a merged tree, in order.
    func topLevelKeys(_ root: YAMLNode) -> [String] {
        guard case .mapping(let pairs) = root.kind else { return [] }
        return pairs.compactMap { if case .scalar(let text, _) = $0.key.kind { text } else { nil } }
    }

    /// Returns the keys of the mapping under `key` in a merged tree.
    func keys(of key: String, in root: YAMLNode) -> [String] {
        guard case .mapping(let pairs) = root.kind,
              let value = pairs.first(where: { if case .scalar(key, _) = $0.key.kind { true } else { false } })?.value,
              case .mapping(let inner) = value.kind else { return [] }
        return inner.compactMap { if case .scalar(let text, _) = $0.key.kind { text } else { nil } }
    }

    @Test func overridesAreTypedBySchema() throws {
        let spec = try loadSpec(Self.tiny, overrides: ["dim=16", "dim_mults=[1, 2, 2]", "levels.2.attention=none", "with_time_emb=false"])

        #expect(spec.dim == 16)
        #expect(spec.dimMults == [1, 2, 2])
        #expect(spec.levels == [UNetSpec.Level(), UNetSpec.Level(), UNetSpec.Level(attention: "none")])
        #expect(!spec.withTimeEmb)
    }

    @Test func overrideNullRestoresDefault() throws {
        let spec = try loadSpec(Self.tiny + "\ninit_dim: 6\n", overrides: ["init_dim=null"])

        #expect(spec.initDim == nil)
        #expect(spec.resolvedInitDim == 4)
    }

    @Test func overrideErrorsPointIntoOverride() {
        let resolution = SpecLoader().resolve(data: Data(Self.tiny.utf8), file: "test.yaml", overrides: ["heads=4", "with_time_emb=yes"])

        #expect(resolution.error.description == """
            <--set>:2:15: error: with_time_emb: expected true or false, found the string "yes"; YAML 1.2 reads yes as a string (YAML 1.1 read it as a boolean), so write true or false
            with_time_emb=yes
                          ^
            """)
    }

    @Test func overrideOfMissingFileIsStillChecked() {
        let resolution = SpecLoader().resolve(path: "/nonexistent/spec.yaml", overrides: ["dim"])

        #expect(resolution.diagnostics.map(\.description) == [
            "/nonexistent/spec.yaml:1:1: error: the spec file does not exist",
            "<--set>:1:1: error: expected key.path=value such as dim=64 or levels.1.attention=none, found no '='",
        ])
    }

    @Test func childClearsInheritedParameters() throws {
        let base = Self.tiny + "\ntime_embedding: random_fourier\ntime_embedding_params: {scale: 8}\n"
        let directory = try folder([
            "base.yaml": base,
            "off.yaml": "extends: base.yaml\nwith_time_emb: false\n",
            "cleared.yaml": "extends: base.yaml\nwith_time_emb: false\ntime_embedding_params: null\n",
        ])

        let off = SpecLoader().resolve(path: "\(directory)/off.yaml")
        let cleared = SpecLoader().resolve(path: "\(directory)/cleared.yaml")

        #expect(off.isValid)
        #expect(off.diagnostics.map(\.description) == [
            "\(directory)/base.yaml:7:32: warning: time_embedding_params.scale: the setting reaches no block, because with_time_emb is false, so the network has no time embedding; remove it, or set time_embedding_params: null to clear inherited settings",
            "\(directory)/base.yaml:6:17: warning: time_embedding: has no effect because with_time_emb is false",
        ])
        #expect(cleared.isValid)
        #expect(cleared.diagnostics.map(\.description) == [
            "\(directory)/base.yaml:6:17: warning: time_embedding: has no effect because with_time_emb is false",
        ])
        #expect(cleared.spec?.blockParameters["time_embedding"] == [:])
    }
}

/// Loads spec text with overrides, named `test.yaml` in diagnostics.
func loadSpec(_ text: String, overrides: [String]) throws -> UNetSpec {
    try SpecLoader().load(data: Data(text.utf8), file: "test.yaml", overrides: overrides)
}
