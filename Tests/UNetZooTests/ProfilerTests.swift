import Foundation
import Testing
import Torch
@testable import UNetZoo

@Suite struct ProfilerTests {
    /// Contexts that cover a channel change, equal channels, and blocks with and without a time feature.
    static func contexts(for entry: BlockEntry) -> [BlockContext] {
        func context(_ input: Int, _ output: Int, time: Int?, _ parameters: [String: BlockParameterValue] = [:]) -> BlockContext {
            BlockContext(
                path: "block", inputChannels: input, outputChannels: output, height: 8, width: 6, timeDim: time,
                groups: 4, heads: 2, dimHead: 4, parameters: parameters)
        }
        switch entry.slot {
        case .block:
            var contexts = [context(8, 16, time: 12), context(16, 16, time: 12), context(16, 8, time: nil)]
            if entry.name == "convnext" {
                contexts.append(context(8, 12, time: 12, ["mult": .int(3), "norm": .bool(false)]))
            }
            return contexts
        case .attention:
            return [context(16, 16, time: 12), context(12, 12, time: nil)]
        case .downsample, .upsample:
            return [context(8, 8, time: nil), context(8, 12, time: nil)]
        case .timeEmbedding:
            return [context(16, 64, time: nil), context(10, 40, time: nil, ["learned": .bool(true)])]
        }
    }

    @Test func everyRegisteredBlockMatchesItsAnalyticCost() throws {
        let registry = BlockRegistry.standard
        for entry in registry.entries {
            var built = 0
            defer { #expect(built >= 2, "\(entry.name) was built in \(built) contexts") }
            for raw in Self.contexts(for: entry) {
                let context = entry.withDefaults(raw)
                guard entry.check(context).isEmpty else { continue }
                let block = try entry.make(context)
                built += 1
                let costFunction = try #require(entry.cost, "\(entry.name) has no cost")
                let cost = costFunction(context)
                let shape = entry.outputShape(context)

                let output: Tensor
                if entry.slot == .timeEmbedding {
                    output = try block(Tensor.randint(0, 100, shape: [2]), time: nil)
                    #expect(output.shape == [2, shape.channels], "\(entry.name) \(context.inputChannels)->\(context.outputChannels)")
                } else {
                    let time = try context.timeDim.map { try Tensor.randn([2, $0]) }
                    output = try block(Tensor.randn([2, context.inputChannels, context.height, context.width]), time: time)
                    #expect(output.shape == [2, shape.channels, shape.height, shape.width], "\(entry.name) \(context.inputChannels)->\(context.outputChannels)")
                }
                #expect(block.parameterCount == cost.parameters, "\(entry.slot) \(entry.name) \(context.inputChannels)->\(context.outputChannels)")
                // the output is one of the tensors the forward pass produces, except for a block that passes its input through
                #expect(cost.activations >= output.count / 2 || entry.name == "none", "\(entry.name) activations \(cost.activations)")
            }
        }
    }

    @Test func referenceBlockMACsMatchHandCount() throws {
        let registry = BlockRegistry.standard
        func macs(_ slot: BlockSlot, _ name: String, input: Int, output: Int, time: Int? = nil) throws -> Int {
            let context = BlockContext(
                path: "block", inputChannels: input, outputChannels: output, height: 8, width: 8, timeDim: time,
                groups: 4, heads: 2, dimHead: 4)
            let cost = try #require(registry.entry(slot, name)?.cost)
            return cost(context).macs
        }

        // conv 3x3 8->16 and 16->16 at 64 positions, time Linear 32->16, res_conv 1x1 8->16
        #expect(try macs(.block, "resnet", input: 8, output: 16, time: 32) == 16 * 8 * 9 * 64 + 16 * 16 * 9 * 64 + 32 * 16 + 16 * 8 * 64)
        #expect(try macs(.block, "resnet", input: 8, output: 16, time: 32) == 229_888)
        // to_qkv 16->24, context k vᵀ and contextᵀ q (2 heads, 4 x 4 per position), to_out 8->16
        #expect(try macs(.attention, "linear", input: 16, output: 16) == 24_576 + 2_048 + 2_048 + 8_192)
        // to_qkv, qᵀk and attention·vᵀ (2 heads of 64 x 64 x 4 each), to_out
        #expect(try macs(.attention, "dot_product", input: 16, output: 16) == 24_576 + 32_768 + 32_768 + 8_192)
        #expect(try macs(.attention, "none", input: 16, output: 16) == 0)
        // 8 x 8 x 4 x 4 weights at 4 x 4 output positions; the transposed one at 8 x 8 input positions
        #expect(try macs(.downsample, "conv", input: 8, output: 8) == 16_384)
        #expect(try macs(.upsample, "transposed_conv", input: 8, output: 8) == 65_536)
        // Linear 16->64 and 64->64
        #expect(try macs(.timeEmbedding, "sinusoidal", input: 16, output: 64) == 5_120)
    }

    @Test func everySpecMatchesRealModel() throws {
        let specs = try FileManager.default.contentsOfDirectory(atPath: packageRoot.appendingPathComponent("specs").path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(specs.contains("base.yaml"))
        for file in specs {
            let spec = try SpecLoader().load(path: specPath(file))
            try Torch.manualSeed(0)
            let model = try UNetBuilder().build(spec)
            let profile = Profiler.profile(model.plan, batch: 1)

            #expect(profile.total.parameters == model.parameterCount, "\(file)")
            #expect(profile.modulesWithoutCost == [], "\(file)")
            let real = try realModules(model)
            #expect(profile.modules.map(\.path) == real.map(\.path), "\(file)")
            for (analytic, built) in zip(profile.modules, real) {
                #expect(analytic.outputShape == built.shape, "\(file) \(analytic.path)")
                #expect(analytic.cost?.parameters == built.parameters, "\(file) \(analytic.path)")
            }
        }
    }

    @Test func catalogueSpecMatchesRealModel() throws {
        let spec = try loadSpec("""
            image_size: [16, 8]
            channels: 2
            dim: 12
            dim_mults: [1, 2]
            resnet_block_groups: 2
            init_dim: 8
            block: convnext
            block_params: {mult: 3}
            blocks_per_level: 3
            downsample: pixel_unshuffle
            upsample: pixel_shuffle
            time_embedding: random_fourier
            levels:
              - {block: scale_shift_resnet, block_params: {dropout: 0.1}, attention: none}
              - {attention: dot_product, block_params: {norm: false}}
            """)
        let model = try UNetBuilder().build(spec)
        let profile = Profiler.profile(model.plan, batch: 1)
        let real = try realModules(model)
        let names = Set(model.namedParameters.map(\.name))

        #expect(profile.modules.map(\.path) == real.map(\.path))
        #expect(profile.modules.map(\.outputShape) == real.map(\.shape))
        #expect(profile.modules.map { $0.cost?.parameters } == real.map(\.parameters))
        #expect(names.contains("downs.0.2.in_layers.2.weight"))
        #expect(names.contains("downs.0.4.conv.weight"))
        #expect(names.contains("downs.1.3.fn.fn.to_qkv.weight"))
        #expect(names.contains("ups.0.2.net.1.weight"))
        #expect(names.contains("ups.0.4.conv.weight"))
        #expect(names.contains("time_mlp.0.frequencies"))
        #expect(model.plan.downs[1][0].context.parameters == ["mult": .int(3), "norm": .bool(false)])
        #expect(model.plan.middle[0].context.parameters == ["mult": .int(3), "norm": .bool(true)])
        #expect(model.plan.downs[0][0].context.parameters == ["dropout": .float(0.1)])
    }

    @Test func profilePartsSumToTotal() throws {
        let spec = try SpecLoader().load(path: specPath("fashion-mnist.yaml"))
        let profile = Profiler.profile(UNetPlan(spec: spec), batch: 4)

        #expect(profile.parts.map(\.part) == ["input", "time", "level 0", "level 1", "level 2", "middle", "output"])
        #expect(profile.parts.reduce(BlockCost.zero) { $0 + $1.cost } == profile.total)
        #expect(profile.total.parameters == 1_614_793)
        #expect(profile.activationBytes(BlockCost(activations: 10)) == 160)
    }
}

/// One module of a built model, with the output shape of a real forward pass.
struct RealModule {
    var path: String
    var shape: [Int]
    var parameters: Int
}

/// Runs the model's forward pass module by module on one N(0, 1) image, recording each output shape;
/// mirrors `UNet.callAsFunction`.
func realModules(_ model: UNet) throws -> [RealModule] {
    let spec = model.plan.spec
    let plan = model.plan
    var modules: [RealModule] = []
    try withoutGrad {
        var h = try model.initConv(Tensor.randn([1, spec.channels, spec.imageSize.height, spec.imageSize.width]))
        modules.append(RealModule(path: "init_conv", shape: h.shape, parameters: model.initConv.parameterCount))
        var time: Tensor?
        if let embedding = model.timeEmbedding, let planned = plan.timeEmbedding {
            time = try embedding(Tensor.randint(0, 100, shape: [1]), time: nil)
            modules.append(RealModule(path: planned.path, shape: time!.shape, parameters: embedding.parameterCount))
        }
        func run(_ block: UNetBlock, _ planned: PlannedBlock, timed: Bool = true) throws {
            h = try block(h, time: timed ? time : nil)
            modules.append(RealModule(path: planned.path, shape: h.shape, parameters: block.parameterCount))
        }
        var skips: [Tensor] = []
        for (stage, planned) in zip(model.downs, plan.downs) {
            for (index, block) in stage.enumerated() {
                try run(block, planned[index])
                if index == plan.blocksPerLevel {
                    skips.append(h)
                }
            }
        }
        for (block, planned) in zip(model.middle, plan.middle) {
            try run(block, planned)
        }
        for (stage, planned) in zip(model.ups, plan.ups) {
            h = try Tensor.cat([h, skips.removeLast()], dim: 1)
            for (block, plannedBlock) in zip(stage, planned) {
                try run(block, plannedBlock)
            }
        }
        try run(model.finalBlock, plan.finalBlock, timed: false)
        h = try model.finalConv(h)
        modules.append(RealModule(path: "final_conv.1", shape: h.shape, parameters: model.finalConv.parameterCount))
    }
    return modules
}

@Suite struct ProfilerMissingCostTests {
    @Test func blockWithoutCostIsLeftOutAndListed() throws {
        let registry = BlockRegistry()
        for entry in BlockRegistry.standard.entries {
            try registry.register(entry)
        }
        try registry.register(BlockEntry(name: "mylab.uncosted", slot: .attention, summary: "identity without a cost") { _ in Identity() })
        let spec = try loadSpec("""
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 2
            mid_attention: mylab.uncosted
            """, registry: registry)

        let profile = Profiler.profile(UNetPlan(spec: spec, registry: registry), registry: registry)
        let model = try UNetBuilder(registry: registry).build(spec)

        #expect(profile.modulesWithoutCost == ["mid_attn"])
        #expect(profile.modules.first { $0.path == "mid_attn" }?.cost == nil)
        #expect(profile.total.parameters == model.parameterCount)
    }
}
