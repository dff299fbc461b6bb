import Foundation
import Testing
import Torch
@testable import UNetZoo

/// Structural checks and safety bounds that the file corpus cannot show on its own.
@Suite struct SpecValidatorTests {
    @Test func analyticCountMatchesReferenceSpecs() throws {
        let base = try SpecLoader().load(path: specPath("base.yaml"))
        let fashion = try SpecLoader().load(path: specPath("fashion-mnist.yaml"))

        #expect(UNetPlan(spec: base).analyticParameterCount == 119_767_315)
        #expect(UNetPlan(spec: fashion).analyticParameterCount == 1_614_793)
    }

    @Test func analyticCountIncludesCatalogueBlocks() throws {
        let spec = try SpecLoader().load(path: specPath("fashion-mnist-convnext.yaml"))
        let model = try UNetBuilder().build(spec)

        #expect(model.parameterCount == 2_902_907)
        #expect(UNetPlan(spec: spec).analyticParameterCount == 2_902_907)
    }

    @Test func hugeCatalogueBlocksAreRejectedWithTheirCount() {
        let text = """
            image_size: 32
            channels: 3
            dim: 1024
            dim_mults: [1, 2, 4, 8]
            block: convnext
            block_params: {mult: 8}
            """

        #expect(diagnostics(text) == """
            test.yaml:3:6: error: dim: the network would have 53,987,933,053 parameters (analytic count), 201.1 GiB of float32 weights, more than the limit of 2,000,000,000; reduce dim or dim_mults
            dim: 1024
                 ^
            """)
    }

    @Test func blocksTooLargeToCountAreRejected() {
        // The convnext costs in Int would overflow: 2^20 channels times a hidden width of 2^40.
        let text = """
            image_size: 2
            channels: 1
            dim: 1048576
            dim_mults: [1]
            with_time_emb: false
            attention: none
            mid_attention: none
            block: convnext
            block_params: {mult: 1048576}
            """

        #expect(diagnostics(text) == """
            test.yaml:3:6: error: dim: the network would have more parameters than can be counted, far more than the limit of 2,000,000,000; reduce dim, dim_mults or the block parameters
            dim: 1048576
                 ^
            """)
    }

    @Test func incompleteSpecStillChecksBlockNames() {
        let text = """
            image_size: 28
            channels: 1
            dim: 28
            dim_mult: [1, 2, 4]
            attention: lineer
            mid_attention: dot-product
            levels:
              - {block: resnett}
              - {}
              - {}
            """

        #expect(diagnostics(text) == """
            test.yaml:4:1: error: dim_mult: unknown key; did you mean 'dim_mults'?
            dim_mult: [1, 2, 4]
            ^
            test.yaml:1:1: error: dim_mults: missing required key
            image_size: 28
            ^
            test.yaml:5:12: error: attention: unknown attention block 'lineer'; did you mean 'linear'? Registered attention blocks: dot_product, linear, none.
            attention: lineer
                       ^
            test.yaml:6:16: error: mid_attention: unknown attention block 'dot-product'; did you mean 'dot_product'? Registered attention blocks: dot_product, linear, none.
            mid_attention: dot-product
                           ^
            test.yaml:8:13: error: levels.0.block: unknown block 'resnett'; did you mean 'resnet'? Registered blocks: convnext, resnet, scale_shift_resnet.
              - {block: resnett}
                        ^
            """)
    }

    @Test func invalidDimMultsSkipsLevelCount() {
        let text = "image_size: 28\nchannels: 1\ndim: 28\ndim_mults: [1, two]\nlevels: [{}, {}]\n"

        #expect(diagnostics(text) == """
            test.yaml:4:16: error: dim_mults.1: expected a positive integer, found the string "two"
            dim_mults: [1, two]
                           ^
            """)
    }

    @Test func builderRefusesAbsurdSpecBeforeAllocating() {
        let spec = UNetSpec(imageSize: .init(height: 16, width: 16), channels: 1, dim: 100_000, dimMults: [1, 2], resnetBlockGroups: 4)

        let error = #expect(throws: SpecError.self) { try UNetBuilder().build(spec) }

        #expect(error?.diagnostics.map(\.message) == [
            "the network would have 4,366,989,033,301 parameters (analytic count), 15.9 TiB of float32 weights, more than the limit of 2,000,000,000; reduce dim or dim_mults",
        ])
    }

    @Test func specInCodeIsRangeChecked() {
        var spec = UNetSpec(dimMults: [1, 0], heads: 0)
        spec.levels = [UNetSpec.Level(dimHead: -4), UNetSpec.Level()]

        let messages = SpecValidator().validate(spec, locations: [:]).map(\.description)

        #expect(messages == [
            "<spec>:1:1: error: heads: expected a positive integer of at most 1048576, found 0",
            "<spec>:1:1: error: dim_mults.1: expected a positive integer of at most 1048576, found 0",
            "<spec>:1:1: error: levels.0.dim_head: expected a positive integer of at most 1048576, found -4",
        ])
    }

    @Test func skipWithWrongSizeIsReported() throws {
        let registry = BlockRegistry()
        for entry in BlockRegistry.standard.entries {
            try registry.register(entry)
        }
        // A downsample that claims to keep the size: the upsample then doubles it past the skip.
        try registry.register(BlockEntry(
            name: "keep", slot: .downsample, summary: "keeps the size",
            outputShape: { ($0.outputChannels, $0.height, $0.width) }
        ) { _ in Identity() })
        let text = """
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2, 2]
            resnet_block_groups: 4
            downsample: keep
            """

        let deep = #expect(throws: SpecError.self) { try loadSpec(text, registry: registry) }
        let shallow = #expect(throws: SpecError.self) {
            try loadSpec(text.replacingOccurrences(of: "[1, 2, 2]", with: "[1, 2]"), registry: registry)
        }

        #expect(deep?.description == """
            test.yaml:6:13: error: downsample: level 1 (ups.1.0): the skip from downs.1.2 is 8x8 but the features it is concatenated with are 16x16; the downsample and upsample blocks must halve and double height and width exactly
            downsample: keep
                        ^
            """)
        #expect(shallow?.diagnostics.map(\.description) == [
            "test.yaml:6:13: error: downsample: the network maps 8x8 images to 16x16 outputs; the downsample and upsample blocks must halve and double height and width exactly",
        ])
    }

    @Test func oversizedFileIsRejectedBeforeParsing() {
        let text = "name: big\n" + String(repeating: "# padding\n", count: 110_000)

        #expect(diagnostics(text) == "test.yaml:1:1: error: the file is larger than 1048576 bytes, the limit for a spec\nname: big\n^")
    }

    @Test func oversizedAndDirectoryPathsAreRejected() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-size-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let big = directory.appendingPathComponent("big.yaml")
        try Data(repeating: UInt8(ascii: "#"), count: 3 << 20).write(to: big)

        let bigResolution = SpecLoader().resolve(path: big.path)
        let directoryResolution = SpecLoader().resolve(path: directory.path)

        #expect(bigResolution.diagnostics.map(\.description) == ["\(big.path):1:1: error: the file is larger than 1048576 bytes, the limit for a spec"])
        #expect(directoryResolution.diagnostics.map(\.description) == ["\(directory.path):1:1: error: the spec file is a directory"])
    }

    @Test func billionLaughsStopsAtNodeLimit() throws {
        var reader = YAMLReader()
        reader.limits.maxNodes = 1_000
        let data = try Data(contentsOf: packageRoot.appendingPathComponent("Tests/UNetZooTests/Specs/invalid/billion-laughs.yaml"))

        let error = #expect(throws: SpecError.self) { try reader.read(data, file: "laughs.yaml") }

        // Lines 2 and 3 expand to about 120 nodes and every *b on line 4 adds 111 more, so the
        // eighth *b on line 4 is the first alias to pass 1,000.
        #expect(error?.diagnostics.map(\.description) == [
            "laughs.yaml:4:36: error: the alias *b expands the document to more than 1000 nodes, the limit for a spec; aliases that repeat aliases grow exponentially (a \"billion laughs\" file), so repeat the values without aliases",
        ])
    }

    @Test func unusedKeysWarnWithoutFailing() throws {
        let text = """
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 4
            with_time_emb: false
            time_embedding: sinusoidal
            """

        let resolution = SpecLoader().resolve(data: Data(text.utf8), file: "test.yaml")

        #expect(resolution.isValid)
        #expect(resolution.error.description == """
            test.yaml:7:17: warning: time_embedding: has no effect because with_time_emb is false
            time_embedding: sinusoidal
                            ^
            """)
    }

    @Test func explainMarksGivenAndDefaultValues() throws {
        let text = "image_size: [8, 16]\nchannels: 1\ndim: 9\ndim_mults: [1, 2]\nresnet_block_groups: 3\nwith_time_emb: false\nlevels: [{}, {attention: none}]\n"
        let resolution = SpecLoader().resolve(data: Data(text.utf8), file: "dir/net.yaml")
        let rows = try #require(resolution.spec).explained(given: resolution.given)
        let byPath = Dictionary(uniqueKeysWithValues: rows.map { ($0.path, $0) })

        #expect(byPath["image_size"]?.value == "[8, 16]")
        #expect(byPath["dim"]?.origin == .given(SourceLocation(file: "dir/net.yaml", line: 3, column: 6)))
        #expect(byPath["name"]?.value == "net")
        #expect(byPath["name"]?.origin == .defaulted("the file name without extension"))
        #expect(byPath["init_dim"]?.value == "6")
        #expect(byPath["init_dim"]?.origin == .defaulted("dim // 3 * 2"))
        #expect(byPath["levels.1.attention"]?.origin == .given(SourceLocation(file: "dir/net.yaml", line: 7, column: 26)))
        #expect(byPath["levels.0.attention"]?.value == "linear")
        #expect(byPath["levels.0.attention"]?.origin == .defaulted("from attention"))
        #expect(rows.count == 18 + 2 * 5)
    }

    @Test func longSourceLineIsCutAroundColumn() {
        let line = String(repeating: "x", count: 300)
        let diagnostic = Diagnostic(at: SourceLocation(file: "f.yaml", line: 1, column: 200), path: "", "bad")

        let rendered = diagnostic.rendered(source: line)

        #expect(rendered == "f.yaml:1:200: error: bad\n..." + String(repeating: "x", count: 120) + "...\n" + String(repeating: " ", count: 63) + "^")
    }
}
