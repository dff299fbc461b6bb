import Testing
@testable import Torch

@Suite struct AutogradTests {
    @Test func gradientOfSquareIsTwiceInput() throws {
        let x = try Tensor([1, -2, 3] as [Float], shape: [3]).requiringGrad()

        try (x * x).sum().backward()

        #expect(try x.grad()?.floats() == [2, -4, 6])
    }

    @Test func gradientsAccumulateUntilZeroed() throws {
        let x = try Tensor([1, 2] as [Float], shape: [2]).requiringGrad()

        try x.sum().backward()
        try x.sum().backward()
        #expect(try x.grad()?.floats() == [2, 2])

        try x.zeroGrad()
        #expect(try x.grad() == nil)
    }

    @Test func withoutGradRecordsNothing() throws {
        let x = try Tensor([1, 2] as [Float], shape: [2]).requiringGrad()

        let y = try withoutGrad { try x * 3 }

        #expect(!y.requiresGrad)
        #expect(throws: TorchError.self) { try y.sum().backward() }
    }

    @Test func clipGradNormScalesToMaximum() throws {
        let x = try Tensor([3, 4] as [Float], shape: [2]).requiringGrad()
        try (x * x).sum().backward()

        let norm = try clipGradNorm([x], maxNorm: 1)
        let clipped = try x.grad()!.floats()

        #expect(abs(norm - 10) < 1e-5)
        #expect(abs(clipped[0] - 0.6) < 1e-5)
        #expect(abs(clipped[1] - 0.8) < 1e-5)
    }
}
