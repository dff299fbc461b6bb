import Testing
@testable import Torch

@Suite struct TensorTests {
    @Test func valuesRoundTripWithShape() throws {
        let tensor = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])

        #expect(tensor.shape == [2, 3])
        #expect(tensor.dtype == .float32)
        #expect(tensor.device == .cpu)
        #expect(try tensor.floats() == [1, 2, 3, 4, 5, 6])
    }

    @Test func arithmeticBroadcasts() throws {
        let a = try Tensor([1, 2, 3, 4] as [Float], shape: [2, 2])
        let row = try Tensor([10, 20] as [Float], shape: [1, 2])

        #expect(try (a + row).floats() == [11, 22, 13, 24])
        #expect(try (a * row).floats() == [10, 40, 30, 80])
        #expect(try (a - 1).floats() == [0, 1, 2, 3])
        #expect(try (2 * a).floats() == [2, 4, 6, 8])
    }

    @Test func matmulMatchesHandProduct() throws {
        let a = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3])
        let b = try Tensor([7, 8, 9, 10, 11, 12] as [Float], shape: [3, 2])

        #expect(try a.matmul(b).floats() == [58, 64, 139, 154])
    }

    @Test func softmaxRowsSumToOne() throws {
        let logits = try Tensor([0, 0, 0, 2, 3, 4] as [Float], shape: [2, 3])
        let probabilities = try logits.softmax(dim: -1).floats()

        #expect(abs(probabilities[0] - 1 / 3) < 1e-6)
        #expect(abs(probabilities[0] + probabilities[1] + probabilities[2] - 1) < 1e-6)
        #expect(abs(probabilities[3] + probabilities[4] + probabilities[5] - 1) < 1e-6)
        #expect(probabilities[5] > probabilities[4])
    }

    @Test func reductionsOverDimensions() throws {
        let tensor = try Tensor([1, 5, 3, 2, 8, 4] as [Float], shape: [2, 3])

        #expect(try tensor.sum().item() == 23)
        #expect(try tensor.mean(dims: [1]).floats() == [3, 14 / 3])
        #expect(try tensor.max(dims: [-1], keepDims: true).shape == [2, 1])
        #expect(try tensor.max(dims: [-1]).floats() == [5, 8])
    }

    @Test func seededRandomIsReproducible() throws {
        try Torch.manualSeed(42)
        let first = try Tensor.randn([16]).floats()
        try Torch.manualSeed(42)
        let second = try Tensor.randn([16]).floats()
        let third = try Tensor.randn([16]).floats()

        #expect(first == second)
        #expect(first != third)
    }

    @Test func shapesRearrange() throws {
        let tensor = try Tensor((0..<24).map(Float.init), shape: [2, 3, 4])

        #expect(try tensor.permuted([2, 0, 1]).shape == [4, 2, 3])
        #expect(try tensor.transposed(-1, -2).shape == [2, 4, 3])
        #expect(try tensor.chunked(2, dim: 2).map(\.shape) == [[2, 3, 2], [2, 3, 2]])
        #expect(try tensor.narrowed(dim: 1, start: 1, length: 1).floats() == [4, 5, 6, 7, 16, 17, 18, 19])
        #expect(try Tensor.cat([tensor, tensor], dim: 1).shape == [2, 6, 4])
    }

    @Test func int64ValuesRoundTrip() throws {
        let tensor = try Tensor([3, -1, 7] as [Int64], shape: [3])

        #expect(tensor.dtype == .int64)
        #expect(try tensor.int64s() == [3, -1, 7])
        #expect(try tensor.floats() == [3, -1, 7])
    }
}
