import Foundation
import Testing

/// `unetzoo blocks [NAME] [--json]`: the registry as users see it.
@Suite struct BlocksCommandTests {
    @Test func listShowsEveryBlockWithKind() throws {
        let result = try unetzoo("blocks")

        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 15)
        #expect(lines.contains("block           convnext            ConvNeXt block of Annotated Diffusion: depthwise 7x7 conv, time added, GroupNorm(1), conv to mult x, GELU, GroupNorm(1), conv"))
        #expect(lines.contains("downsample      conv                4x4 convolution with stride 2 and padding 1"))
    }

    @Test func detailShowsParameterSchema() throws {
        let result = try unetzoo("blocks", "convnext")

        #expect(result.status == 0)
        #expect(result.stdout == """
            convnext (block): ConvNeXt block of Annotated Diffusion: depthwise 7x7 conv, time added, GroupNorm(1), conv to mult x, GELU, GroupNorm(1), conv
              parameters (set under block_params):
                mult  int, default 2: Width of the hidden 3x3 convolution as a multiple of the output channels
                norm  bool, default true: Whether a GroupNorm(1) precedes the first 3x3 convolution

            """)
    }

    @Test func jsonListsAndDetails() throws {
        let list = try unetzoo("blocks", "--json")
        let detail = try unetzoo("blocks", "scale_shift_resnet", "--json")

        #expect(list.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 15)
        #expect(Set(entries.compactMap { $0["kind"] as? String }) == ["block", "attention", "downsample", "upsample", "time_embedding"])
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(detail.stdout.utf8)) as? [[String: Any]])
        let parameters = try #require(objects.first?["parameters"] as? [[String: Any]])
        #expect(parameters.count == 1)
        #expect(parameters.first?["name"] as? String == "dropout")
        #expect(parameters.first?["type"] as? String == "float")
        #expect(parameters.first?["default"] as? Double == 0)
    }

    @Test func unknownNameSuggestsNearest() throws {
        let result = try unetzoo("blocks", "convnxt")
        let usage = try unetzoo("blocks", "a", "b")

        #expect(result.status == 1)
        #expect(result.stderr == "error: unknown block 'convnxt'; did you mean 'convnext'? Registered blocks: avgpool, conv, convnext, dot_product, learned, linear, nearest_conv, none, pixel_shuffle, pixel_unshuffle, random_fourier, resnet, scale_shift_resnet, sinusoidal, transposed_conv.\n")
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("error: expected at most one block NAME, got 2: a b\n"))
    }
}
