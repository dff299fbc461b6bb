import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `unetzoo build SPEC --diagram FILE.svg`: the picture of the planned network.
@Suite struct DiagramTests {
    @Test func diagramShowsLevelsSkipsAndKinds() throws {
        let spec = try temporaryFile("""
            name: picture & <test>
            image_size: 32
            channels: 3
            dim: 16
            dim_mults: [1, 2, 4]
            resnet_block_groups: 4
            blocks_per_level: 3
            downsample: avgpool
            upsample: nearest_conv
            levels: [{attention: none}, {}, {block: convnext}]
            """)
        let svg = URL(fileURLWithPath: spec).deletingLastPathComponent().appendingPathComponent("unet.svg").path

        let result = try unetzoo("build", spec, "--dry-run", "--diagram", svg)

        #expect(result.status == 0)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(XMLParser(data: Data(text.utf8)).parse())
        #expect(text.contains(">picture &amp; &lt;test&gt;: 32 px, 3 channels, dim 16, dim_mults [1, 2, 4]</text>"))
        #expect(text.contains(">down 0: 32x32, 16 channels</text>"))
        #expect(text.contains(">3 x resnet (groups 4), attention none</text>"))
        #expect(text.contains(">down 2: 8x8, 64 channels</text>"))
        #expect(text.contains(">3 x convnext (groups 4), attention linear</text>"))
        #expect(text.contains(">downsample avgpool</text>"))
        #expect(text.contains(">then upsample nearest_conv to 16x16</text>"))
        #expect(text.contains(">middle: 8x8, 64 channels</text>"))
        #expect(text.components(separatedBy: "stroke-dasharray").count - 1 == 2)
        #expect(text.contains(">skip, 32 channels</text>"))
        #expect(text.contains(">skip, 64 channels</text>"))
    }

    @Test func unwritableDiagramPathExitsOne() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--dry-run", "--diagram", "/nonexistent-folder/unet.svg")

        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("error: failed to write the diagram to '/nonexistent-folder/unet.svg': "))
    }
}
