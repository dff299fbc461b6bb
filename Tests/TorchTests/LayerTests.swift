import Testing
@testable import Torch

@Suite struct LayerTests {
    @Test func conv2dInitialisesWithinPyTorchBounds() throws {
        try Torch.manualSeed(0)
        let conv = try Conv2d(16, 32, kernelSize: 3, padding: 1)
        let bound = Float(1 / (16.0 * 9).squareRoot())

        let weights = try conv.weight.floats()
        let biases = try conv.bias!.floats()

        #expect(conv.weight.shape == [32, 16, 3, 3])
        #expect(weights.allSatisfy { abs($0) <= bound })
        #expect(biases.allSatisfy { abs($0) <= bound })
        // A uniform sample of 4,608 values comes close to both ends of its range.
        #expect(weights.max()! > 0.95 * bound)
        #expect(weights.min()! < -0.95 * bound)
        #expect(conv.weight.requiresGrad)
    }

    @Test func transposedConvUsesOutputChannelsForFanIn() throws {
        try Torch.manualSeed(0)
        let conv = try ConvTranspose2d(8, 4, kernelSize: 4, stride: 2, padding: 1)
        let bound = Float(1 / (4.0 * 16).squareRoot())

        let weights = try conv.weight.floats()

        #expect(conv.weight.shape == [8, 4, 4, 4])
        #expect(weights.allSatisfy { abs($0) <= bound })
        #expect(weights.max()! > 0.9 * bound)
    }

    @Test func transposedConvDoublesSpatialSize() throws {
        let conv = try ConvTranspose2d(8, 8, kernelSize: 4, stride: 2, padding: 1)
        let output = try conv(Tensor.randn([2, 8, 5, 7]))
        #expect(output.shape == [2, 8, 10, 14])
    }

    @Test func groupNormStartsAsPlainNormalisation() throws {
        let norm = try GroupNorm(groups: 2, channels: 4)
        let x = try Tensor((0..<32).map(Float.init), shape: [1, 4, 2, 4])

        let y = try norm(x).floats()
        let firstGroup = Array(y[0..<16])
        let mean = firstGroup.reduce(0, +) / 16
        let variance = firstGroup.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 16

        #expect(try norm.weight.floats() == [1, 1, 1, 1])
        #expect(try norm.bias.floats() == [0, 0, 0, 0])
        #expect(abs(mean) < 1e-5)
        #expect(abs(variance - 1) < 1e-3)
    }

    @Test func linearComputesAffineMap() throws {
        let linear = try Linear(2, 1)
        try linear.weight.copy(from: Tensor([2, -1] as [Float], shape: [1, 2]))
        try linear.bias!.copy(from: Tensor([0.5] as [Float], shape: [1]))

        let y = try linear(Tensor([3, 4, 1, 1] as [Float], shape: [2, 2]))

        #expect(try y.floats() == [2.5, 1.5])
    }

    @Test func namedParametersArePrefixed() throws {
        let conv = try Conv2d(1, 2, kernelSize: 1)
        let norm = try GroupNorm(groups: 1, channels: 2)
        let names = childParameters(("proj", conv), ("norm", norm), ("absent", nil)).map(\.name)
        #expect(names == ["proj.weight", "proj.bias", "norm.weight", "norm.bias"])
    }
}
