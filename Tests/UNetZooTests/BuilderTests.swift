import Foundation
import Testing
import Torch
@testable import UNetZoo

@Suite struct BuilderTests {
    @Test func baseSpecHasReferenceParameterCount() throws {
        let spec = try SpecLoader().load(path: specPath("base.yaml"))

        let model = try UNetBuilder().build(spec)

        #expect(model.parameterCount == 119_767_315)
    }

    @Test func fashionSpecMatchesReferenceNamesAndShapes() throws {
        let spec = try SpecLoader().load(path: specPath("fashion-mnist.yaml"))
        let reference = try String(contentsOf: packageRoot.appendingPathComponent("Tests/Parity/fashion_mnist_parameter_names.txt"), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)

        let model = try UNetBuilder().build(spec)
        let ours = model.namedParameters.map { "\($0.name) [\($0.tensor.shape.map(String.init).joined(separator: ", "))]" }

        #expect(model.parameterCount == 1_614_793)
        #expect(ours.count == reference.count)
        #expect(Set(ours).symmetricDifference(reference).sorted() == [])
    }

    @Test func fashionForwardKeepsInputShape() throws {
        let spec = try SpecLoader().load(path: specPath("fashion-mnist.yaml"))
        try Torch.manualSeed(1)
        let model = try UNetBuilder().build(spec)

        let result = try model.timedForward(batch: 3)

        #expect(result.inputShape == [3, 1, 28, 28])
        #expect(result.outputShape == [3, 1, 28, 28])
    }

    @Test func summaryShapesMatchRealForward() throws {
        let spec = try loadSpec("""
            image_size: [16, 24]
            channels: 2
            dim: 16
            dim_mults: [1, 2, 3]
            resnet_block_groups: 4
            levels: [{attention: none}, {attention: dot_product}, {}]
            """)
        let model = try UNetBuilder().build(spec)
        let x = try Tensor.randn([2, 2, 16, 24])
        let t = try Tensor.randint(0, 200, shape: [2])

        var h = try model.initConv(x)
        let time = try model.timeEmbedding!(t, time: nil)
        for stage in model.downs {
            for block in stage {
                h = try block(h, time: time)
            }
        }
        let rows = model.summary(batch: 2)
        let lastDown = rows.last { $0.path.hasPrefix("downs.") }!
        let output = try model(x, t)

        #expect(h.shape == lastDown.outputShape)
        #expect(output.shape == [2, 2, 16, 24])
        #expect(rows.map(\.parameters).reduce(0, +) == model.parameterCount)
    }

    @Test func seededBuildsAreIdentical() throws {
        let spec = try SpecLoader().load(path: specPath("fashion-mnist.yaml"))

        try Torch.manualSeed(7)
        let first = try UNetBuilder().build(spec)
        try Torch.manualSeed(7)
        let second = try UNetBuilder().build(spec)

        let a = try first.namedParameters[10].tensor.floats()
        let b = try second.namedParameters[10].tensor.floats()
        #expect(a == b)
    }

    @Test func channelCountsAreInferredForFirstMultiplierAboveOne() throws {
        let spec = try loadSpec("""
            image_size: 16
            channels: 3
            dim: 16
            dim_mults: [2, 4]
            resnet_block_groups: 4
            """)

        let model = try UNetBuilder().build(spec)
        let output = try withoutGrad { try model(Tensor.randn([1, 3, 16, 16]), Tensor.randint(0, 10, shape: [1])) }

        #expect(output.shape == [1, 3, 16, 16])
        #expect(model.finalBlock.namedParameters.first { $0.name == "block1.proj.weight" }?.tensor.shape == [16, 32, 3, 3])
    }

    @Test func networkWithoutTimeEmbeddingHasNoTimeParameters() throws {
        let spec = try loadSpec("""
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 2
            with_time_emb: false
            out_dim: 2
            init_dim: 6
            """)

        let model = try UNetBuilder().build(spec)
        let names = model.namedParameters.map(\.name)
        let output = try model(Tensor.randn([2, 1, 8, 8]), Tensor.randint(0, 10, shape: [2]))

        #expect(!names.contains { $0.hasPrefix("time_mlp") || $0.contains(".mlp.") })
        #expect(names.contains("init_conv.weight"))
        #expect(model.initConv.weight.shape == [6, 1, 7, 7])
        #expect(output.shape == [2, 2, 8, 8])
    }
}
