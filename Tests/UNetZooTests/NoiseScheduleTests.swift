import Foundation
import Testing
@testable import UNetZoo

/// Schedules against the float64 PyTorch values of Tests/Parity/make_schedule_reference.py.
@Suite struct NoiseScheduleTests {
    struct Reference: Decodable {
        var betas: [Double]
        var alpha_bars: [Double]
        var posterior_variance: [Double]
    }

    static func reference(_ key: String) throws -> Reference {
        let url = packageRoot.appendingPathComponent("Tests/Parity/schedule_reference.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        let entry = try JSONSerialization.data(withJSONObject: try #require(object?[key]))
        return try JSONDecoder().decode(Reference.self, from: entry)
    }

    static func expectClose(_ actual: [Double], _ expected: [Double], tolerance: Double = 1e-12) {
        #expect(actual.count == expected.count)
        let worst = zip(actual, expected).map { abs($0 - $1) / max(abs($1), 1e-30) }.max() ?? 0
        #expect(worst < tolerance, "largest relative difference \(worst)")
    }

    @Test(arguments: [("linear_200", ScheduleKind.linear, 200), ("cosine_200", .cosine, 200), ("linear_10", .linear, 10), ("cosine_10", .cosine, 10)])
    func scheduleMatchesPyTorch(key: String, kind: ScheduleKind, timesteps: Int) throws {
        let reference = try Self.reference(key)
        let schedule = NoiseSchedule(kind: kind, timesteps: timesteps)

        Self.expectClose(schedule.betas, reference.betas)
        Self.expectClose(schedule.alphaBars, reference.alpha_bars, tolerance: 1e-10)
        Self.expectClose((0..<timesteps).map(schedule.posteriorVariance), reference.posterior_variance, tolerance: 1e-9)
    }

    @Test func linearEndpointsAreReference() {
        let schedule = NoiseSchedule(kind: .linear, timesteps: 200)

        #expect(schedule.betas.first == 1e-4)
        #expect(abs(schedule.betas[199] - 0.02) < 1e-15)
        #expect(abs(schedule.alphas[5] - (1 - schedule.betas[5])) < 1e-15)
    }

    @Test func cosineLastBetaIsClipped() {
        let schedule = NoiseSchedule(kind: .cosine, timesteps: 200)

        #expect(schedule.betas.last == 0.999)
        #expect(schedule.betas.dropLast().allSatisfy { $0 > 0 })
        #expect(schedule.betas.dropLast().allSatisfy { $0 < 0.999 })
    }

    @Test func posteriorVarianceIsZeroAtFirstStep() {
        let schedule = NoiseSchedule(kind: .linear, timesteps: 200)

        #expect(schedule.posteriorVariance(0) == 0)
        #expect(schedule.previousAlphaBar(0) == 1)
        #expect(schedule.previousAlphaBar(3) == schedule.alphaBars[2])
    }
}
