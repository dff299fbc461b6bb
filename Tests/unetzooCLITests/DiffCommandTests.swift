import Foundation
import Testing

/// `unetzoo diff A B`: differing resolved keys and per-level costs of two specs.
@Suite struct DiffCommandTests {
    let variant = """
        name: fashion-convnext
        image_size: 28
        channels: 1
        dim: 28
        dim_mults: [1, 2, 4]
        resnet_block_groups: 4
        block: convnext
        block_params: {mult: 3}
        levels: [{attention: none}, {}, {}]
        """

    @Test func tableShowsKeysAndLevelChanges() throws {
        let path = try temporaryFile(variant)

        let result = try unetzoo("diff", "specs/fashion-mnist.yaml", path)

        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("block ") && $0.hasSuffix(" resnet                       convnext") })
        #expect(lines.contains { $0.hasPrefix("levels.0.attention ") && $0.hasSuffix(" linear                       none") })
        #expect(lines.contains { $0.hasPrefix("levels.2.block_params.mult ") && $0.hasSuffix(" -                            3") })
        #expect(!lines.contains { $0.hasPrefix("dim ") || $0.hasPrefix("name ") })
        #expect(lines.contains("level 0        55,244        94,502     +39,258   40.67 M   65.08 M   +24.41 M"))
        #expect(lines.contains("total       1,614,793     4,123,147  +2,508,354  161.98 M  373.79 M  +211.81 M"))
    }

    @Test func identicalSpecsHaveNoKeyChanges() throws {
        let result = try unetzoo("diff", "specs/base.yaml", "specs/base.yaml", "--json")

        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let total = try #require(object["total"] as? [String: [String: Int]])
        #expect((object["keys"] as? [Any])?.isEmpty == true)
        #expect(total["a"]?["parameters"] == 119_767_315)
        #expect(total["b"]?["parameters"] == 119_767_315)
    }

    @Test func moreLevelsAppearOnOneSide() throws {
        let path = try temporaryFile(variant.replacingOccurrences(of: "[1, 2, 4]", with: "[1, 2, 4, 4]").replacingOccurrences(of: "image_size: 28", with: "image_size: 32")
            .replacingOccurrences(of: "levels: [{attention: none}, {}, {}]", with: ""))

        let result = try unetzoo("diff", "specs/fashion-mnist.yaml", path, "--json")

        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let keys = try #require(object["keys"] as? [[String: Any]])
        let parts = try #require(object["parts"] as? [[String: Any]])
        #expect(keys.contains { $0["key"] as? String == "levels.3.block" && $0["a"] is NSNull && $0["b"] as? String == "convnext" })
        #expect(parts.map { $0["part"] as? String } == ["input", "time", "level 0", "level 1", "level 2", "level 3", "middle", "output"])
        #expect(parts[5]["a"] is NSNull)
    }

    @Test func invalidSpecExitsOne() throws {
        let path = try temporaryFile("image_size: 28\nchannels: 1\ndim: 28\ndim_mults: [1, 2]\nblock: resnt\n")

        let result = try unetzoo("diff", "specs/base.yaml", path)
        let usage = try unetzoo("diff", "specs/base.yaml")

        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("error: block: unknown block 'resnt'; did you mean 'resnet'?"))
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("error: expected two specs A and B, got 1\n"))
    }
}
