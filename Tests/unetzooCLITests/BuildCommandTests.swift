import Foundation
import Testing

/// `unetzoo build` as a user runs it: exit codes, the table, the JSON object and diagnostics.
@Suite struct BuildCommandTests {
    @Test func fashionJSONReportsParametersAndShape() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--batch", "4", "--json")

        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["parameters"] as? Int == 1_614_793)
        #expect(object?["output_shape"] as? [Int] == [4, 1, 28, 28])
        #expect((object?["modules"] as? [Any])?.count == 26)
    }

    @Test func tableListsModulesAndTotal() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml")

        #expect(result.status == 0)
        #expect(result.stdout.contains("mid_attn      attention dot_product      [1, 112, 7, 7]       57,680"))
        #expect(result.stdout.contains("total parameters: 1,614,793"))
        #expect(result.stdout.contains("forward on cpu: [1, 1, 28, 28] -> [1, 1, 28, 28] in "))
    }

    @Test func invalidSpecExitsOneWithDiagnostics() throws {
        let path = try temporaryFile("""
            image_size: 28
            channels: 1
            dim: 28
            dim_mults: [1, 2, 4]
            resnet_block_groups: 8
            atention: none
            """)

        let result = try unetzoo("build", path)

        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.contains("\(path):6:1: error: atention: unknown key; did you mean 'attention'?\natention: none\n^"))
        #expect(result.stderr.contains("\(path):5:22: error: resnet_block_groups: level 0 (downs.0.0, downs.0.1), level 1 (ups.1.0, ups.1.1), final_conv.0: 28 channels are not divisible by 8 groups"))
        #expect(result.stderr.hasSuffix("errors in \(path)\n"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missing = try unetzoo("build")
        let badOption = try unetzoo("build", "specs/base.yaml", "--bach", "8")
        let badBatch = try unetzoo("build", "specs/base.yaml", "--batch", "0")
        let badCommand = try unetzoo("biuld")

        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: missing SPEC"))
        #expect(badOption.status == 2)
        #expect(badOption.stderr.hasPrefix("error: unknown option '--bach'; did you mean '--batch'?"))
        #expect(badBatch.status == 2)
        #expect(badBatch.stderr.hasPrefix("error: option '--batch' expects a positive integer, got '0'"))
        #expect(badCommand.status == 2)
        #expect(badCommand.stderr.hasPrefix("error: unknown command 'biuld'; did you mean 'build'?"))
    }

    @Test func helpExitsZero() throws {
        let main = try unetzoo("--help")
        let build = try unetzoo("build", "--help")

        #expect(main.status == 0)
        #expect(main.stdout.contains("build SPEC"))
        #expect(build.status == 0)
        #expect(build.stdout.hasPrefix("Usage: unetzoo build SPEC"))
    }

    @Test func missingSpecFileExitsOne() throws {
        let result = try unetzoo("build", "specs/does-not-exist.yaml")

        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("specs/does-not-exist.yaml:1:1: error: the spec file does not exist"))
    }

    @Test func missingDeviceFailsWithoutUsage() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--device", "cuda:7")

        #expect(result.status == 1)
        #expect(result.stderr == "error: device cuda:7 is not available: libtorch sees 0 CUDA device(s); use --device cpu\n")
    }

    @Test func dryRunNeedsNoDevice() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--device", "cuda:7", "--dry-run")

        #expect(result.status == 0)
        #expect(result.stdout.contains("total     1,614,793"))
    }

    @Test func conflictingOptionsAreUsageErrors() throws {
        let saveWithDryRun = try unetzoo("build", "specs/fashion-mnist.yaml", "--dry-run", "--save-weights", "w.safetensors")
        let pngDiagram = try unetzoo("build", "specs/fashion-mnist.yaml", "--dry-run", "--diagram", "net.png")

        #expect(saveWithDryRun.status == 2)
        #expect(saveWithDryRun.stderr.hasPrefix("error: --save-weights needs built weights, so it cannot be combined with --dry-run\n"))
        #expect(pngDiagram.status == 2)
        #expect(pngDiagram.stderr.hasPrefix("error: option '--diagram' writes SVG, so its file name must end in .svg, got 'net.png'\n"))
    }
}
