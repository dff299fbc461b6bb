import Testing
@testable import Torch

@Suite struct AdamWTests {
    /// Three steps on float64 parameters, compared with `torch.optim.AdamW` (PyTorch 2.15.0):
    ///
    ///     p = nn.Parameter(torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64))
    ///     q = nn.Parameter(torch.tensor([[0.25, 3.0]], dtype=torch.float64))
    ///     opt = torch.optim.AdamW([p, q], lr=0.1, betas=(0.9, 0.99), eps=1e-6, weight_decay=0.05)
    ///     for step in range(3):
    ///         opt.zero_grad(); ((p ** 2).sum() * (step + 1) + (q ** 3).sum()).backward(); opt.step()
    @Test func threeStepsMatchPyTorch() throws {
        let p = try Tensor([1.0, -2.0, 0.5] as [Double], shape: [3]).requiringGrad()
        let q = try Tensor([0.25, 3.0] as [Double], shape: [1, 2]).requiringGrad()
        let optimizer = try AdamW(parameters: [p, q], learningRate: 0.1, betas: (0.9, 0.99), eps: 1e-6, weightDecay: 0.05)

        for step in 0..<3 {
            try optimizer.zeroGrad()
            let loss = try (p * p).sum() * Double(step + 1) + (q * q * q).sum()
            try loss.backward()
            try optimizer.step()
        }

        let expectedP = [0.6915871069731211, -1.6781180035261805, 0.1963163646424156]
        let expectedQ = [-0.012117838948921746, 2.657694494935219]
        for (value, expected) in zip(try p.doubles(), expectedP) {
            #expect(abs(value - expected) < 1e-12)
        }
        for (value, expected) in zip(try q.doubles(), expectedQ) {
            #expect(abs(value - expected) < 1e-12)
        }
        #expect(optimizer.stepCount == 3)
        #expect(p.requiresGrad)
    }

    @Test func firstStepMatchesHandComputation() throws {
        // p = 1, g = 0.5, lr = 0.1, wd = 0.01: decay gives 0.999, then m̂ = 0.5, v̂ = 0.25, so p = 0.999 − 0.1 · 0.5 / 0.5.
        let parameter = try Tensor([1] as [Double], shape: [1]).requiringGrad()
        let optimizer = try AdamW(parameters: [parameter], learningRate: 0.1, eps: 0)

        try (parameter * 0.5).sum().backward()
        try optimizer.step()

        #expect(abs(try parameter.item() - 0.899) < 1e-12)
    }

    @Test func parameterWithoutGradientIsUnchanged() throws {
        let used = try Tensor([1] as [Float], shape: [1]).requiringGrad()
        let unused = try Tensor([5] as [Float], shape: [1]).requiringGrad()
        let optimizer = try AdamW(parameters: [used, unused], learningRate: 0.1)

        try (used * 2).sum().backward()
        try optimizer.step()

        #expect(try unused.item() == 5)
        #expect(try used.item() < 1)
    }

    @Test func invalidHyperparametersThrow() throws {
        let parameter = try Tensor.zeros([1]).requiringGrad()

        let learningRate = #expect(throws: TorchError.self) { try AdamW(parameters: [parameter], learningRate: -1) }
        let beta = #expect(throws: TorchError.self) { try AdamW(parameters: [parameter], betas: (0.9, 1)) }

        #expect(learningRate?.description == "AdamW: invalid learning rate -1.0, expected >= 0")
        #expect(beta?.description == "AdamW: invalid beta2 1.0, expected 0 <= beta2 < 1")
    }

    @Test func restoreRejectsMismatchedMoments() throws {
        let parameter = try Tensor.zeros([2, 3]).requiringGrad()
        let optimizer = try AdamW(parameters: [parameter])

        let error = #expect(throws: TorchError.self) {
            try optimizer.restore(stepCount: 4, expAvgs: [try Tensor.zeros([3, 2])], expAvgSqs: [try Tensor.zeros([2, 3])])
        }

        #expect(error?.description == "AdamW: exp_avg 0 has shape [3, 2], expected the parameter's shape [2, 3]")
        #expect(optimizer.stepCount == 0)
    }
}
