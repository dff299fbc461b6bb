import Foundation
import Testing

/// `unetzoo validate` as a user runs it: exit codes, the status lines, --explain, --json and --set.
@Suite struct ValidateCommandTests {
    static let invalid = """
        image_size: 28
        channels: 1
        dim: 28
        dim_mults: [1, 2, 4]
        resnet_block_groups: 5
        """

    @Test func validSpecsExitZero() throws {
        let result = try unetzoo("validate", "specs/base.yaml", "specs/fashion-mnist.yaml")

        #expect(result.status == 0)
        #expect(result.stdout == "specs/base.yaml: valid, 119,767,315 parameters\nspecs/fashion-mnist.yaml: valid, 1,614,793 parameters\n")
        #expect(result.stderr == "")
    }

    @Test func anyInvalidSpecExitsOne() throws {
        let path = try temporaryFile(Self.invalid)

        let result = try unetzoo("validate", "specs/fashion-mnist.yaml", path)

        #expect(result.status == 1)
        #expect(result.stdout == "specs/fashion-mnist.yaml: valid, 1,614,793 parameters\n\(path): invalid, 3 errors\n")
        #expect(result.stderr.hasPrefix("\(path):5:22: error: resnet_block_groups: level 0 (downs.0.0, downs.0.1), level 1 (ups.1.0, ups.1.1), final_conv.0: 28 channels are not divisible by 5 groups; groups that divide 28: 1, 2, 4, 7, 14, 28\nresnet_block_groups: 5\n                     ^\n"))
    }

    @Test func usageErrorsExitTwo() throws {
        let missing = try unetzoo("validate")
        let badOption = try unetzoo("validate", "--explian", "specs/base.yaml")

        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: missing SPEC"))
        #expect(badOption.status == 2)
        #expect(badOption.stderr.hasPrefix("error: unknown option '--explian'; did you mean '--explain'?"))
    }

    @Test func explainMarksGivenAndDefaults() throws {
        let result = try unetzoo("validate", "--explain", "specs/fashion-mnist.yaml", "--set", "levels.0.attention=none")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let built = try unetzoo("build", "specs/fashion-mnist.yaml", "--json", "--set", "levels.0.attention=none")
        let object = try JSONSerialization.jsonObject(with: Data(built.stdout.utf8)) as? [String: Any]

        #expect(result.status == 0)
        #expect(object?["parameters"] as? Int == 1_600_317)
        #expect(lines.first == "specs/fashion-mnist.yaml: valid, 1,600,317 parameters")
        #expect(lines.contains("  dim                  28               given    specs/fashion-mnist.yaml:5:6"))
        #expect(lines.contains("  init_dim             18               default  dim // 3 * 2"))
        #expect(lines.contains("  with_time_emb        true             default"))
        #expect(lines.contains("  levels.0.attention   none             given    <--set>:1:20"))
        #expect(lines.contains("  levels.1.attention   linear           default  from attention"))
    }

    @Test func explainListsBlockParameters() throws {
        let result = try unetzoo(
            "validate", "--explain", "specs/fashion-mnist-convnext.yaml", "--set", "levels.1.block_params={norm: false}",
            "--set", "time_embedding=random_fourier")
        let lines = result.stdout.split(separator: "\n").map(String.init)

        #expect(result.status == 0)
        #expect(lines.filter { $0.contains("_params") || $0.contains("blocks_per_level") } == [
            "  blocks_per_level               2                       default",
            "  block_params.mult              2                       given    specs/fashion-mnist-convnext.yaml:10:22",
            "  block_params.norm              true                    default  of convnext",
            "  time_embedding_params.scale    16.0                    default  of random_fourier",
            "  time_embedding_params.learned  false                   default  of random_fourier",
            "  levels.0.block_params.mult     2                       default  from block_params",
            "  levels.0.block_params.norm     true                    default  of convnext",
            "  levels.1.block_params.mult     2                       default  from block_params",
            "  levels.1.block_params.norm     false                   given    <--set>:1:30",
            "  levels.2.block_params.mult     2                       default  from block_params",
            "  levels.2.block_params.norm     true                    default  of convnext",
        ])
    }

    @Test func jsonCarriesDiagnosticsWithLocations() throws {
        let path = try temporaryFile(Self.invalid + "\nheads: \"4\"\n")

        let result = try unetzoo("validate", "--json", path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let specs = try #require(object["specs"] as? [[String: Any]])
        let diagnostics = try #require(specs.first?["diagnostics"] as? [[String: Any]])

        #expect(result.status == 1)
        #expect(result.stderr == "")
        #expect(object["valid"] as? Bool == false)
        #expect(diagnostics.count == 4)
        #expect(diagnostics.first?["file"] as? String == path)
        #expect(diagnostics.first?["line"] as? Int == 6)
        #expect(diagnostics.first?["column"] as? Int == 8)
        #expect(diagnostics.first?["path"] as? String == "heads")
        #expect(diagnostics.first?["severity"] as? String == "error")
        #expect(diagnostics.first?["message"] as? String == "expected a positive integer, found the string \"4\"; quotes make a value a string, so write 4 without them")
        for diagnostic in diagnostics.dropFirst() {
            #expect(diagnostic["line"] as? Int == 5)
            #expect(diagnostic["column"] as? Int == 22)
        }
    }

    @Test func jsonExplainListsResolvedValues() throws {
        let result = try unetzoo("validate", "--json", "--explain", "specs/fashion-mnist.yaml")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let spec = try #require((object["specs"] as? [[String: Any]])?.first)
        let resolved = try #require(spec["resolved"] as? [[String: Any]])
        let dim = try #require(resolved.first { $0["path"] as? String == "dim" })
        let heads = try #require(resolved.first { $0["path"] as? String == "heads" })

        #expect(result.status == 0)
        #expect(spec["parameters"] as? Int == 1_614_793)
        // the top-level keys with blocks_per_level, then 5 per level; the reference blocks take no parameters
        #expect(resolved.count == 18 + 3 * 5)
        #expect(dim["value"] as? Int == 28)
        #expect(dim["given"] as? Bool == true)
        #expect((dim["location"] as? [String: Any])?["line"] as? Int == 5)
        #expect(heads["value"] as? Int == 4)
        #expect(heads["given"] as? Bool == false)
        #expect(heads["default"] as? String == "default")
    }

    @Test func warningsKeepExitZero() throws {
        let path = try temporaryFile("image_size: 8\nchannels: 1\ndim: 8\ndim_mults: [1, 2]\nresnet_block_groups: 4\nattention: none\nmid_attention: none\ndim_head: 16\n")

        let result = try unetzoo("validate", path)

        #expect(result.status == 0)
        #expect(result.stdout.hasSuffix(": valid, 28,833 parameters, 1 warning\n"))
        #expect(result.stderr == "\(path):8:11: warning: dim_head: has no effect because every attention block is 'none'\ndim_head: 16\n          ^\n")
    }

    @Test func setOverridesBuild() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--json", "--set", "dim_mults=[1, 2]", "--set", "image_size=[8, 12]")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]

        #expect(result.status == 0)
        #expect(object?["output_shape"] as? [Int] == [1, 1, 8, 12])
    }

    @Test func buildRefusesAbsurdSpec() throws {
        let result = try unetzoo("build", "specs/fashion-mnist.yaml", "--set", "dim=200000")

        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("<--set>:1:5: error: dim: the network would have 71,708,160,866,601 parameters (analytic count)"))
    }
}
