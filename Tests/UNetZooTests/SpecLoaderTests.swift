import Foundation
import Testing
@testable import UNetZoo

@Suite struct SpecLoaderTests {
    @Test func baseSpecLoadsReferenceValues() throws {
        let spec = try SpecLoader().load(path: specPath("base.yaml"))

        #expect(spec.name == "base")
        #expect(spec.imageSize == UNetSpec.ImageSize(height: 128, width: 128))
        #expect(spec.channels == 3)
        #expect(spec.dim == 128)
        #expect(spec.dimMults == [1, 2, 4, 8])
        #expect(spec.resnetBlockGroups == 2)
        #expect(spec.resolvedInitDim == 84)
        #expect(spec.resolvedOutDim == 3)
        #expect(spec.withTimeEmb)
        #expect(spec.attention == "linear")
        #expect(spec.midAttention == "dot_product")
    }

    @Test func nameDefaultsToFileStem() throws {
        let spec = try loadSpec("image_size: 8\nchannels: 1\ndim: 8\ndim_mults: [1]\n", file: "dir/tiny-net.yaml")
        #expect(spec.name == "tiny-net")
    }

    @Test func wrongTypePointsAtValue() {
        let text = """
            image_size: 32
            channels: 3
            dim: "64"
            dim_mults: [1, 2]
            """
        #expect(diagnostics(text) == """
            test.yaml:3:6: error: dim: expected a positive integer, found the string "64"; quotes make a value a string, so write 64 without them
            dim: "64"
                 ^
            """)
    }

    @Test func unknownKeySuggestsNearest() {
        let text = """
            image_size: 32
            channels: 3
            dim: 64
            dim_mult: [1, 2]
            """
        #expect(diagnostics(text) == """
            test.yaml:4:1: error: dim_mult: unknown key; did you mean 'dim_mults'?
            dim_mult: [1, 2]
            ^
            test.yaml:1:1: error: dim_mults: missing required key
            image_size: 32
            ^
            """)
    }

    @Test func duplicateKeyNamesFirstLine() {
        let text = """
            image_size: 32
            channels: 3
            dim: 64
            dim_mults: [1, 2]
            dim: 32
            """
        #expect(diagnostics(text) == """
            test.yaml:5:1: error: dim: duplicate key; it is first given at line 3; remove one of them
            dim: 32
            ^
            """)
    }

    @Test func yesIsNotABoolean() {
        let text = """
            image_size: 32
            channels: 3
            dim: 64
            dim_mults: [1, 2]
            with_time_emb: yes
            """
        #expect(diagnostics(text) == """
            test.yaml:5:16: error: with_time_emb: expected true or false, found the string "yes"; YAML 1.2 reads yes as a string (YAML 1.1 read it as a boolean), so write true or false
            with_time_emb: yes
                           ^
            """)
    }

    @Test func levelCountMustMatchDimMults() {
        let text = """
            image_size: 32
            channels: 3
            dim: 64
            dim_mults: [1, 2, 4]
            levels: [{attention: none}, {}]
            """
        #expect(diagnostics(text) == """
            test.yaml:5:9: error: levels: expected 3 entries, one per entry of dim_mults, found 2
            levels: [{attention: none}, {}]
                    ^
            """)
    }

    @Test func indivisibleGroupsNameLevelAndDivisors() {
        let text = """
            image_size: 28
            channels: 1
            dim: 28
            dim_mults: [1, 2, 4]
            resnet_block_groups: 8
            """
        let rendered = diagnostics(text)
        #expect(rendered.hasPrefix("""
            test.yaml:5:22: error: resnet_block_groups: level 0 (downs.0.0, downs.0.1), level 1 (ups.1.0, ups.1.1), final_conv.0: 28 channels are not divisible by 8 groups; groups that divide 28: 1, 2, 4, 7, 14, 28
            resnet_block_groups: 8
                                 ^
            """))
    }

    @Test func oddImageSizeNamesLevelAndSuggestsSizes() {
        let text = """
            image_size: [30, 32]
            channels: 1
            dim: 16
            dim_mults: [1, 2, 4]
            resnet_block_groups: 4
            """
        #expect(diagnostics(text) == """
            test.yaml:1:14: error: image_size.0: height 30 is not divisible by 2^2 = 4: 3 levels halve it 2 times, and level 1 gets the odd size 15 that cannot be halved; nearest valid heights: 28 or 32
            image_size: [30, 32]
                         ^
            """)
    }

    @Test func unknownBlockNameListsRegisteredNames() {
        let text = """
            image_size: 32
            channels: 3
            dim: 32
            dim_mults: [1, 2]
            resnet_block_groups: 4
            attention: linaer
            """
        #expect(diagnostics(text) == """
            test.yaml:6:12: error: attention: unknown attention block 'linaer'; did you mean 'linear'? Registered attention blocks: dot_product, linear, none.
            attention: linaer
                       ^
            """)
    }

    @Test func emptyAndNonMappingFilesAreDiagnosed() {
        #expect(diagnostics("") == """
            test.yaml:1:1: error: the spec is empty; expected a mapping of keys such as dim and dim_mults
            """ + "\n\n^")
        #expect(diagnostics("- 1\n- 2\n") == """
            test.yaml:1:1: error: a spec must be a mapping of keys such as dim and dim_mults, found a list
            - 1
            ^
            """)
    }

    @Test func syntaxErrorCarriesLocation() {
        let rendered = diagnostics("dim: [1, 2\nchannels: 3\n")
        #expect(rendered.hasPrefix("test.yaml:2:9: error: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'"))
    }

    @Test func manyProblemsAreCappedWithCount() throws {
        let text = "image_size: 16\nchannels: 1\ndim: 8\ndim_mults: [1, 2]\nlevels: [" + Array(repeating: "x", count: 150).joined(separator: ", ") + "]\n"

        let resolution = SpecLoader().resolve(data: Data(text.utf8), file: "test.yaml")

        // One error for the length of levels and one per entry that is not a mapping: 151.
        #expect(resolution.diagnostics.count == SpecLoader.maxDiagnostics + 1)
        #expect(resolution.diagnostics.last?.description == "test.yaml:5:307: error: 51 more problems (51 of them errors) are not shown; fix the ones above first")
    }

    @Test func missingFileIsReported() {
        let error = #expect(throws: SpecError.self) { try SpecLoader().load(path: "/nonexistent/spec.yaml") }
        #expect(error?.description == "/nonexistent/spec.yaml:1:1: error: the spec file does not exist")
    }
}
