import Testing
import Torch
@testable import UNetZoo

/// The forward process, targets and samplers against the closed forms of DDPM.
@Suite struct GaussianDiffusionTests {
    static let schedule = NoiseSchedule(kind: .linear, timesteps: 200)

    static func close(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }

    @Test func qSampleMatchesFormula() throws {
        let diffusion = try GaussianDiffusion(schedule: Self.schedule)
        let x0 = try Tensor([0.5, -0.25, 1, -1], shape: [2, 1, 1, 2])
        let noise = try Tensor([0.1, 0.2, -0.3, 0.4], shape: [2, 1, 1, 2])
        let t = try Tensor([Int64(0), 199], shape: [2])

        let xt = try diffusion.qSample(x0, t: t, noise: noise).floats()

        let a0 = Self.schedule.alphaBars[0]
        let a1 = Self.schedule.alphaBars[199]
        let expected = [
            a0.squareRoot() * 0.5 + (1 - a0).squareRoot() * 0.1, a0.squareRoot() * -0.25 + (1 - a0).squareRoot() * 0.2,
            a1.squareRoot() * 1 + (1 - a1).squareRoot() * -0.3, a1.squareRoot() * -1 + (1 - a1).squareRoot() * 0.4,
        ].map(Float.init)
        #expect(Self.close(xt, expected))
    }

    @Test(arguments: PredictionTarget.allCases)
    func targetImpliesTrueNoise(prediction: PredictionTarget) throws {
        let diffusion = try GaussianDiffusion(schedule: Self.schedule, prediction: prediction)
        try Torch.manualSeed(3)
        let x0 = try Tensor.rand([4, 1, 3, 3]) * 2 - 1
        let noise = try Tensor.randn([4, 1, 3, 3])
        let t = try Tensor([Int64(0), 50, 120, 199], shape: [4])
        let xt = try diffusion.qSample(x0, t: t, noise: noise)

        let perfect = try diffusion.target(x0: x0, noise: noise, t: t)
        let implied = try diffusion.epsilon(from: perfect, xt: xt, t: t)

        #expect(Self.close(try implied.floats(), try noise.floats(), tolerance: 2e-3))
    }

    @Test func vTargetMatchesFormula() throws {
        let diffusion = try GaussianDiffusion(schedule: Self.schedule, prediction: .v)
        let x0 = try Tensor([0.5], shape: [1, 1, 1, 1])
        let noise = try Tensor([-0.2], shape: [1, 1, 1, 1])
        let t = try Tensor([Int64(100)], shape: [1])

        let v = try diffusion.target(x0: x0, noise: noise, t: t).floats()

        let alphaBar = Self.schedule.alphaBars[100]
        #expect(Self.close(v, [Float(alphaBar.squareRoot() * -0.2 - (1 - alphaBar).squareRoot() * 0.5)]))
    }

    @Test(arguments: DiffusionLoss.allCases)
    func lossMatchesDefinition(loss: DiffusionLoss) throws {
        let prediction = try Tensor([0, 1.5], shape: [2])
        let target = try Tensor([0.5, -0.5], shape: [2])

        let value = try loss(prediction, target).floats()

        // absolute errors 0.5 and 2: one inside and one outside Huber's quadratic range
        let expected: Float = switch loss {
        case .l1: (0.5 + 2) / 2
        case .l2: (0.25 + 4) / 2
        case .huber: (0.5 * 0.25 + (2 - 0.5)) / 2
        }
        #expect(Self.close(value, [expected]))
    }

    @Test func ddpmStepMatchesAncestralFormula() throws {
        let schedule = NoiseSchedule(kind: .linear, timesteps: 3)
        let diffusion = try GaussianDiffusion(schedule: schedule)
        let constant: GaussianDiffusion.Network = { x, _ in try x.filled(with: 0.5) }

        try Torch.manualSeed(11)
        let sampled = try diffusion.sample(constant, shape: [1, 1, 1, 3], sampler: .ddpm).floats()

        try Torch.manualSeed(11)
        var x = try Tensor.randn([1, 1, 1, 3]).floats().map(Double.init)
        for t in stride(from: 2, through: 0, by: -1) {
            let coefficient = schedule.betas[t] / (1 - schedule.alphaBars[t]).squareRoot()
            x = x.map { ($0 - coefficient * 0.5) / schedule.alphas[t].squareRoot() }
            if t > 0 {
                let z = try Tensor.randn([1, 1, 1, 3]).floats().map(Double.init)
                x = zip(x, z).map { $0 + schedule.posteriorVariance(t).squareRoot() * $1 }
            }
        }
        #expect(Self.close(sampled, x.map { Float(min(max($0, -1), 1)) }))
    }

    @Test func ddimRecoversCleanImageFromPerfectNoise() throws {
        // A network that returns the true ε of a fixed clean image makes DDIM land on that image.
        let schedule = NoiseSchedule(kind: .cosine, timesteps: 50)
        let diffusion = try GaussianDiffusion(schedule: schedule)
        let clean = try Tensor([0.25, -0.5, 0.75, 0], shape: [1, 1, 2, 2])
        let oracle: GaussianDiffusion.Network = { x, t in
            let step = Int(try t.int64s()[0])
            let alphaBar = schedule.alphaBars[step]
            return try (x - clean * alphaBar.squareRoot()) * (1 / (1 - alphaBar).squareRoot())
        }

        try Torch.manualSeed(5)
        let result = try diffusion.sample(oracle, shape: [1, 1, 2, 2], sampler: .ddim, steps: 10).floats()

        #expect(Self.close(result, [0.25, -0.5, 0.75, 0], tolerance: 1e-3))
    }

    @Test func ddimStepsAreEvenAndDescending() {
        #expect(GaussianDiffusion.ddimSteps(timesteps: 200, count: 5) == [199, 149, 100, 50, 0])
        #expect(GaussianDiffusion.ddimSteps(timesteps: 10, count: 50) == Array((0..<10).reversed()))
        #expect(GaussianDiffusion.ddimSteps(timesteps: 200, count: 1) == [199])
    }
}
