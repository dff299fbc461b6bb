import Foundation
import Testing
@testable import UNetZoo

@Suite struct YAMLWriterTests {
    @Test func composedSpecRoundTrips() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("""
            image_size: [16, 24]
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 4
            block: convnext
            block_params: {mult: 3}
            train: {steps: 7, learning_rate: 1e-4}
            """.utf8).write(to: directory.appendingPathComponent("base.yaml"))
        try Data("extends: base.yaml\nname: \"010\"\nlevels: [{attention: none}, {}]\n".utf8)
            .write(to: directory.appendingPathComponent("child.yaml"))

        let resolution = SpecLoader().resolve(path: directory.appendingPathComponent("child.yaml").path, overrides: ["dim=16"])
        let text = try YAMLWriter.write(try #require(resolution.document), header: ["generated"])
        let reloaded = try loadSpec(text, file: "written.yaml")

        #expect(resolution.isValid)
        #expect(text.hasPrefix("# generated\n"))
        #expect(!text.contains("extends"))
        #expect(reloaded == resolution.spec)
        #expect(reloaded.name == "010")
        #expect(reloaded.dim == 16)
        #expect(reloaded.train.steps == 7)
        #expect(reloaded.blockParameters["block"]?["mult"] == .int(3))
    }
}
