import Foundation
import Testing

/// `unetzoo build SPEC --dry-run`: the analytic table and its JSON form.
@Suite struct DryRunTests {
    @Test func tableListsModulesPartsAndTotal() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--dry-run")

        #expect(result.status == 0)
        #expect(result.stderr == "")
        // init_conv: 18 filters of 1 x 7 x 7 at 28 x 28 positions = 691,488 MACs
        #expect(result.stdout.contains("init_conv     conv 7x7                   [1, 18, 28, 28]         900  691.49 k     55.1 KiB"))
        #expect(result.stdout.contains("level 2     760,536   37.45 M      1.1 MiB"))
        #expect(result.stdout.contains("total     1,614,793  161.98 M      9.6 MiB"))
        #expect(!result.stdout.contains("forward on"))
    }

    @Test func jsonHasParametersAndPerModuleCosts() throws {
        let result = try unetzoo("build", "specs/base.yaml", "--dry-run", "--json", "--batch", "8")

        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let modules = try #require(object["modules"] as? [[String: Any]])
        let parts = try #require(object["parts"] as? [[String: Any]])
        #expect(object["parameters"] as? Int == 119_767_315)
        #expect(object["output_shape"] as? [Int] == [8, 3, 128, 128])
        #expect(modules.count == 34)
        #expect(modules.compactMap { $0["parameters"] as? Int }.reduce(0, +) == 119_767_315)
        #expect(modules.compactMap { $0["macs"] as? Int }.reduce(0, +) == object["macs"] as? Int)
        #expect(parts.map { $0["part"] as? String } == ["input", "time", "level 0", "level 1", "level 2", "level 3", "middle", "output"])
        // the first level's 3x3 convolutions alone: 8 samples x 128 x 128 positions x 128 x 128 x 9
        #expect((modules[2]["macs"] as? Int ?? 0) > 8 * 128 * 128 * 128 * 128 * 9)
    }

    @Test func invalidSpecExitsOneWithoutTable() throws {
        let path = try temporaryFile("""
            image_size: 28
            channels: 1
            dim: 28
            dim_mults: [1, 2, 4]
            block: convnext
            block_params: {mul: 3}
            """)

        let result = try unetzoo("build", path, "--dry-run")

        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("\(path):6:21: error: block_params.mul: the block 'convnext' has no parameter 'mul'; did you mean 'mult'? Its parameters: mult, norm\n"))
    }

    @Test func blocksTooLargeToCountAreRefusedWithoutProfiling() throws {
        let path = try temporaryFile("""
            image_size: 2
            channels: 1
            dim: 1048576
            dim_mults: [1]
            with_time_emb: false
            attention: none
            mid_attention: none
            block: convnext
            block_params: {mult: 1048576}
            """)

        let dryRun = try unetzoo("build", path, "--dry-run")
        let validate = try unetzoo("validate", path)

        #expect(dryRun.status == 1)
        #expect(dryRun.stdout == "")
        #expect(dryRun.stderr.hasPrefix("\(path):3:6: error: dim: the network would have more parameters than can be counted, far more than the limit of 2,000,000,000; reduce dim, dim_mults or the block parameters\n"))
        #expect(validate.status == 1)
        #expect(validate.stdout == "\(path): invalid, 1 error\n")
    }

    @Test func hugeConvNeXtIsRefusedByValidateAndBuild() throws {
        let path = try temporaryFile("""
            image_size: 32
            channels: 3
            dim: 1024
            dim_mults: [1, 2, 4, 8]
            block: convnext
            block_params: {mult: 8}
            """)
        let message = "\(path):3:6: error: dim: the network would have 53,987,933,053 parameters (analytic count), 201.1 GiB of float32 weights, more than the limit of 2,000,000,000; reduce dim or dim_mults\n"

        let validate = try unetzoo("validate", path)
        let build = try unetzoo("build", path)

        #expect(validate.status == 1)
        #expect(validate.stdout == "\(path): invalid, 1 error\n")
        #expect(validate.stderr.hasPrefix(message))
        #expect(build.status == 1)
        #expect(build.stdout == "")
        #expect(build.stderr.hasPrefix(message))
    }
}
