import Testing
@testable import UNetZoo

/// `blocks_per_level` and the `*_params` keys: decoding, schema checks and where messages point.
@Suite struct BlockParameterSpecTests {
    let header = """
        image_size: 16
        channels: 1
        dim: 8
        dim_mults: [1, 2]
        resnet_block_groups: 2
        init_dim: 8
        """

    @Test func wrongTypeNamesExpectedKind() {
        let text = header + "\nblock: convnext\nblock_params: {mult: 1.5, norm: 1}"
        #expect(diagnostics(text) == """
            test.yaml:8:22: error: block_params.mult: expected an integer for 'mult' of the block 'convnext', found the number 1.5
            block_params: {mult: 1.5, norm: 1}
                                 ^
            test.yaml:8:33: error: block_params.norm: expected true or false for 'norm' of the block 'convnext', found the integer 1
            block_params: {mult: 1.5, norm: 1}
                                            ^
            """)
    }

    @Test func blockWithoutParametersSaysSo() {
        let text = header + "\nattention_params: {heads: 2}"
        #expect(diagnostics(text) == """
            test.yaml:7:27: error: attention_params.heads: the attention 'linear' has no parameter 'heads'; it takes none
            attention_params: {heads: 2}
                                      ^
            """)
    }

    @Test func levelSettingReplacesNetworkWide() throws {
        let spec = try loadSpec(header + """

            block: convnext
            block_params: {mult: 4}
            levels: [{block_params: {mult: 1}}, {block: resnet}]
            """)
        let plan = UNetPlan(spec: spec)

        #expect(plan.downs[0][0].context.parameters["mult"] == .int(1))
        #expect(plan.downs[0][0].givenParameters.map(\.keyPath) == ["levels.0.block_params.mult"])
        #expect(plan.middle[0].context.parameters["mult"] == .int(4))
        #expect(plan.downs[1][0].name == "resnet")
        #expect(plan.downs[1][0].givenParameters.isEmpty)
    }

    @Test func floatParameterAcceptsInteger() throws {
        let spec = try loadSpec(header + "\ntime_embedding: random_fourier\ntime_embedding_params: {scale: 2}")

        #expect(UNetPlan(spec: spec).timeEmbedding?.context.parameters == ["scale": .float(2), "learned": .bool(false)])
    }

    @Test func nullAndNestedValuesAreRejected() {
        let text = header + "\nblock: convnext\nblock_params: {mult: null, norm: [true]}\ndownsample_params: 3"
        #expect(diagnostics(text) == """
            test.yaml:8:22: error: block_params.mult: expected a number, a boolean or a name, found null; remove the key to use the default
            block_params: {mult: null, norm: [true]}
                                 ^
            test.yaml:8:34: error: block_params.norm: expected a number, a boolean or a name, found a list
            block_params: {mult: null, norm: [true]}
                                             ^
            test.yaml:9:20: error: downsample_params: expected a mapping of block parameters such as {mult: 2}, or null for none, found the integer 3
            downsample_params: 3
                               ^
            """)
    }

    @Test func settingWithoutBlockIsWarned() throws {
        let text = header + "\nwith_time_emb: false\ntime_embedding: learned\ntime_embedding_params: {timesteps: 10}"
        let spec = try loadSpec(text)

        #expect(spec.withTimeEmb == false)
        #expect(allDiagnostics(text) == """
            test.yaml:9:36: warning: time_embedding_params.timesteps: the setting reaches no block, because with_time_emb is false, so the network has no time embedding; remove it, or set time_embedding_params: null to clear inherited settings
            time_embedding_params: {timesteps: 10}
                                               ^
            test.yaml:8:17: warning: time_embedding: has no effect because with_time_emb is false
            time_embedding: learned
                            ^
            """)
    }

    @Test func attentionSettingEveryLevelReplacesIsWarned() {
        let text = header + "\nattention: dot_product\nattention_params: {scale: 2}\nlevels: [{attention: none}, {attention: none}]"
        #expect(allDiagnostics(text) == """
            test.yaml:8:27: warning: attention_params.scale: the setting reaches no block, because every level names its own block for this key; remove it, or set attention_params: null to clear inherited settings
            attention_params: {scale: 2}
                                      ^
            """)
    }

    @Test func unknownNameOfReachedBlockStaysError() {
        let text = header + "\ntime_embedding: learned\ntime_embedding_params: {timestep: 10}"
        #expect(diagnostics(text) == """
            test.yaml:8:35: error: time_embedding_params.timestep: the time_embedding 'learned' has no parameter 'timestep'; did you mean 'timesteps'? Its parameters: timesteps
            time_embedding_params: {timestep: 10}
                                              ^
            """)
    }

    @Test func valueProblemPointsAtLevelValue() {
        let text = header + "\nblock: convnext\nlevels:\n  - {block_params: {mult: 0}}\n  - {}"
        #expect(diagnostics(text) == """
            test.yaml:9:27: error: levels.0.block_params.mult: level 0 (downs.0.0, downs.0.1): the convnext block needs mult of at least 1, got 0
              - {block_params: {mult: 0}}
                                      ^
            """)
    }

    @Test func valueProblemPointsAtNetworkWideValue() {
        let text = header + "\nblock: convnext\nblock_params: {mult: 0}\nlevels: [{block_params: {mult: 2}}, {}]"
        #expect(diagnostics(text) == """
            test.yaml:8:22: error: block_params.mult: level 1 (downs.1.0, downs.1.1, ups.0.0, ups.0.1), mid_block1, mid_block2, final_conv.0: the convnext block needs mult of at least 1, got 0
            block_params: {mult: 0}
                                 ^
            """)
    }

    @Test func nullParametersMeanNone() throws {
        let spec = try loadSpec(header + "\nblock: convnext\nblock_params: null\nlevels: [{block_params: null}, {}]")

        #expect(spec.blockParameters["block"] == [:])
        #expect(spec.levels.first?.blockParameters["block"] == [:])
    }

    @Test func blocksPerLevelMustBePositive() {
        #expect(diagnostics(header + "\nblocks_per_level: 0") == """
            test.yaml:7:19: error: blocks_per_level: expected a positive integer, found the integer 0
            blocks_per_level: 0
                              ^
            """)
    }

    @Test func blocksPerLevelShiftsParameterNames() throws {
        let spec = try loadSpec(header + "\nblocks_per_level: 1")
        let names = try UNetBuilder().build(spec).namedParameters.map(\.name)

        #expect(names.contains("downs.0.1.fn.norm.weight"))
        #expect(names.contains("downs.0.2.conv.weight"))
        #expect(names.contains("ups.0.1.fn.norm.weight"))
        #expect(names.contains("ups.0.2.trans_conv.weight"))
        #expect(!names.contains { $0.hasPrefix("downs.0.3.") })
    }
}
