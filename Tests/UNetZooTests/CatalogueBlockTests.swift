import Foundation
import Testing
import Torch
@testable import UNetZoo

/// The catalogue blocks against compositions of the same weights with `Functional`, written from
/// each block's published definition.
@Suite struct CatalogueBlockTests {
    func maxDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
        try (a - b).abs().floats().map(Double.init).max() ?? 0
    }

    func broadcast(_ vector: Tensor) throws -> Tensor {
        try vector.reshaped(vector.shape + [1, 1])
    }

    @Test func convnextNamesAndForward() throws {
        try Torch.manualSeed(3)
        let block = try ConvNeXtBlock(8, 12, timeDim: 6, mult: 3)
        let x = try Tensor.randn([2, 8, 5, 4])
        let time = try Tensor.randn([2, 6])

        let names = block.namedParameters.map { "\($0.name) \($0.tensor.shape)" }
        var h = try Functional.conv2d(x, weight: block.depthwiseConv.weight, bias: block.depthwiseConv.bias, padding: 3, groups: 8)
        h = try h + broadcast(Functional.linear(time.gelu(), weight: block.timeProjection!.weight, bias: block.timeProjection!.bias))
        h = try Functional.groupNorm(h, groups: 1, weight: block.inputNorm!.weight, bias: block.inputNorm!.bias)
        h = try Functional.conv2d(h, weight: block.conv1.weight, bias: block.conv1.bias, padding: 1).gelu()
        h = try Functional.groupNorm(h, groups: 1, weight: block.hiddenNorm.weight, bias: block.hiddenNorm.bias)
        h = try Functional.conv2d(h, weight: block.conv2.weight, bias: block.conv2.bias, padding: 1)
        let expected = try h + Functional.conv2d(x, weight: block.resConv!.weight, bias: block.resConv!.bias)

        #expect(names == [
            "mlp.1.weight [8, 6]", "mlp.1.bias [8]", "ds_conv.weight [8, 1, 7, 7]", "ds_conv.bias [8]",
            "net.0.weight [8]", "net.0.bias [8]", "net.1.weight [36, 8, 3, 3]", "net.1.bias [36]",
            "net.3.weight [36]", "net.3.bias [36]", "net.4.weight [12, 36, 3, 3]", "net.4.bias [12]",
            "res_conv.weight [12, 8, 1, 1]", "res_conv.bias [12]",
        ])
        #expect(try maxDifference(block(x, time: time), expected) < 1e-5)
    }

    @Test func convnextWithoutNormSkipsInputNorm() throws {
        let block = try ConvNeXtBlock(8, 8, timeDim: nil, norm: false)

        #expect(block.inputNorm == nil)
        #expect(block.resConv == nil)
        #expect(!block.namedParameters.contains { $0.name.hasPrefix("net.0.") || $0.name.hasPrefix("mlp.") })
    }

    @Test func scaleShiftStartsAsSkipPath() throws {
        let block = try ScaleShiftResNetBlock(8, 8, timeDim: 6, groups: 4, dropout: 0.3)
        let x = try Tensor.randn([2, 8, 4, 4])

        #expect(try maxDifference(block(x, time: Tensor.randn([2, 6])), x) == 0)
        #expect(block.namedParameters.map(\.name) == [
            "in_layers.0.weight", "in_layers.0.bias", "in_layers.2.weight", "in_layers.2.bias",
            "emb_layers.1.weight", "emb_layers.1.bias", "out_layers.0.weight", "out_layers.0.bias",
            "out_layers.3.weight", "out_layers.3.bias",
        ])
    }

    @Test func scaleShiftAppliesScaleAndShiftAfterNorm() throws {
        try Torch.manualSeed(4)
        let block = try ScaleShiftResNetBlock(4, 8, timeDim: 6, groups: 2)
        try block.outputConv.weight.uniform(-0.5, 0.5)
        let x = try Tensor.randn([2, 4, 3, 5])
        let time = try Tensor.randn([2, 6])

        var h = try Functional.groupNorm(x, groups: 2, weight: block.inputNorm.weight, bias: block.inputNorm.bias).silu()
        h = try Functional.conv2d(h, weight: block.inputConv.weight, bias: block.inputConv.bias, padding: 1)
        let embedding = try Functional.linear(time.silu(), weight: block.timeProjection!.weight, bias: block.timeProjection!.bias)
        let scale = try broadcast(embedding.narrowed(dim: 1, start: 0, length: 8))
        let shift = try broadcast(embedding.narrowed(dim: 1, start: 8, length: 8))
        h = try Functional.groupNorm(h, groups: 2, weight: block.outputNorm.weight, bias: block.outputNorm.bias) * (scale + 1) + shift
        h = try Functional.conv2d(h.silu(), weight: block.outputConv.weight, bias: block.outputConv.bias, padding: 1)
        let expected = try Functional.conv2d(x, weight: block.skipConnection!.weight, bias: block.skipConnection!.bias) + h

        #expect(try maxDifference(block(x, time: time), expected) < 1e-5)
    }

    @Test func scaleShiftDropoutOnlyInTraining() throws {
        let spec = try loadSpec("""
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 2
            init_dim: 8
            block: scale_shift_resnet
            block_params: {dropout: 0.5}
            """)
        let model = try UNetBuilder().build(spec)
        let block = try #require(model.downs[0][0] as? ScaleShiftResNetBlock)
        try block.outputConv.weight.uniform(-0.5, 0.5)
        let x = try Tensor.randn([2, 8, 8, 8])
        let time = try Tensor.randn([2, 8])

        let evaluation = try maxDifference(block(x, time: time), block(x, time: time))
        model.setTraining(true)
        let training = try maxDifference(block(x, time: time), block(x, time: time))

        #expect(block.dropoutProbability == 0.5)
        #expect(evaluation == 0)
        #expect(training > 0)
    }

    @Test func avgpoolAveragesPatches() throws {
        let block = try AvgPoolDownsample(1, 1)
        let x = try Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] as [Float], shape: [1, 1, 4, 4])

        #expect(try block(x, time: nil).floats() == [3.5, 5.5, 11.5, 13.5])
        #expect(block.parameterCount == 0)
        #expect(try AvgPoolDownsample(4, 8).conv?.weight.shape == [8, 4, 1, 1])
    }

    @Test func pixelUnshuffleMovesPatchesIntoChannels() throws {
        let block = try PixelUnshuffleDownsample(3, 5)
        let x = try Tensor.randn([2, 3, 6, 4])

        let expected = try Functional.conv2d(Functional.pixelUnshuffle(x, factor: 2), weight: block.conv.weight, bias: block.conv.bias)

        #expect(block.conv.weight.shape == [5, 12, 1, 1])
        #expect(try maxDifference(block(x, time: nil), expected) < 1e-6)
        #expect(try block(x, time: nil).shape == [2, 5, 3, 2])
    }

    @Test func nearestConvUpsamplesThenConvolves() throws {
        let block = try NearestConvUpsample(3, 4)
        let x = try Tensor.randn([1, 3, 2, 3])

        let upsampled = try Functional.upsampleNearest(x, height: 4, width: 6)
        let expected = try Functional.conv2d(upsampled, weight: block.conv.weight, bias: block.conv.bias, padding: 1)

        #expect(try maxDifference(block(x, time: nil), expected) < 1e-6)
        #expect(try upsampled.floats()[0..<2] == x.floats()[0..<1] + x.floats()[0..<1])
    }

    @Test func pixelShuffleConvolvesThenShuffles() throws {
        let block = try PixelShuffleUpsample(3, 2)
        let x = try Tensor.randn([1, 3, 2, 3])

        let expected = try Functional.pixelShuffle(Functional.conv2d(x, weight: block.conv.weight, bias: block.conv.bias), factor: 2)

        #expect(block.conv.weight.shape == [8, 3, 1, 1])
        #expect(try maxDifference(block(x, time: nil), expected) < 1e-6)
        #expect(try block(x, time: nil).shape == [1, 2, 4, 6])
    }

    @Test func learnedEmbeddingLooksUpRows() throws {
        let block = try LearnedTimeEmbedding(timesteps: 10, dim: 4, outputDim: 6)
        let t = try Tensor([3, 9] as [Int64], shape: [2])

        let rows = try block.table.indexSelect(dim: 0, index: t)
        let expected = try block.linear2(block.linear1(rows).gelu())

        #expect(block.table.shape == [10, 4])
        #expect(try maxDifference(block(t, time: nil), expected) == 0)
    }

    @Test func learnedEmbeddingNamesTimestepOutsideTable() throws {
        let block = try LearnedTimeEmbedding(timesteps: 10, dim: 4, outputDim: 6)

        #expect(throws: BlockInputError(
            "the learned time embedding got timestep 12, but its table has 10 rows for timesteps 0 to 9; set time_embedding_params.timesteps to at least 13"
        )) { try block(Tensor([3, 12, 10] as [Int64], shape: [3]), time: nil) }
        #expect(throws: BlockInputError(
            "the learned time embedding got timestep -1, but its table has rows for timesteps 0 to 9 only; use timesteps of at least 0"
        )) { try block(Tensor([-1, 2] as [Int64], shape: [2]), time: nil) }
    }

    @Test func networkWithLearnedEmbeddingNamesTheFix() throws {
        let spec = try loadSpec("""
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 4
            time_embedding: learned
            time_embedding_params: {timesteps: 100}
            """)
        let model = try UNetBuilder().build(spec)
        let x = try Tensor.zeros([2, 1, 8, 8])

        #expect(try model(x, Tensor([0, 99] as [Int64], shape: [2])).shape == [2, 1, 8, 8])
        #expect(throws: BlockInputError(
            "the learned time embedding got timestep 100, but its table has 100 rows for timesteps 0 to 99; set time_embedding_params.timesteps to at least 101"
        )) { try model(x, Tensor([100, 5] as [Int64], shape: [2])) }
    }

    @Test func fourierFeaturesUseScaledFrequencies() throws {
        try Torch.manualSeed(5)
        let block = try FourierTimeEmbedding(dim: 4000, outputDim: 8, scale: 16, learned: false)
        let frequencies = try block.frequencies.floats().map(Double.init)
        let mean = frequencies.reduce(0, +) / Double(frequencies.count)
        let deviation = (frequencies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(frequencies.count)).squareRoot()

        let small = try FourierTimeEmbedding(dim: 4, outputDim: 3, scale: 1, learned: true)
        let t = try Tensor([0.25] as [Float], shape: [1])
        let arguments = try (small.frequencies * (2 * Double.pi * 0.25)).reshaped([1, 2])
        let features = try Tensor.cat([arguments.sin(), arguments.cos()], dim: -1)
        let expected = try small.linear2(small.linear1(features).gelu())

        #expect(frequencies.count == 2000)
        #expect(abs(deviation - 16) < 1)
        #expect(try maxDifference(small(t, time: nil), expected) < 1e-5)
    }
}
