import Foundation

/// The shape of the noise variances β_t over the diffusion steps.
public enum ScheduleKind: String, CaseIterable, Sendable {
    /// β evenly spaced from 1e-4 to 0.02 (Ho et al., 2020; the reference).
    case linear
    /// ᾱ_t = f(t) / f(0) with f(t) = cos²(((t / T) + s) / (1 + s) · π / 2), s = 0.008, and β clipped
    /// to at most 0.999 (Nichol and Dhariwal, 2021).
    case cosine
}

/// The per-step constants of a DDPM forward process over `timesteps` steps, t in 0..<T, in float64.
public struct NoiseSchedule: Equatable, Sendable {
    public let kind: ScheduleKind
    public let betas: [Double]
    /// α_t = 1 − β_t.
    public let alphas: [Double]
    /// ᾱ_t = Π_{s ≤ t} α_s.
    public let alphaBars: [Double]

    public var timesteps: Int { betas.count }

    public init(kind: ScheduleKind, timesteps: Int) {
        precondition(timesteps >= 2, "a noise schedule needs at least 2 steps")
        self.kind = kind
        switch kind {
        case .linear:
            let start = 1e-4
            let end = 0.02
            betas = (0..<timesteps).map { start + (end - start) * Double($0) / Double(timesteps - 1) }
        case .cosine:
            let offset = 0.008
            func f(_ step: Int) -> Double {
                let angle = (Double(step) / Double(timesteps) + offset) / (1 + offset) * Double.pi / 2
                return cos(angle) * cos(angle)
            }
            betas = (0..<timesteps).map { Swift.min(1 - f($0 + 1) / f($0), 0.999) }
        }
        alphas = betas.map { 1 - $0 }
        var product = 1.0
        alphaBars = alphas.map { alpha in
            product *= alpha
            return product
        }
    }

    /// ᾱ_{t−1}, with ᾱ_{−1} = 1.
    public func previousAlphaBar(_ t: Int) -> Double {
        t == 0 ? 1 : alphaBars[t - 1]
    }

    /// Returns the posterior variance β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t), zero at t = 0.
    public func posteriorVariance(_ t: Int) -> Double {
        betas[t] * (1 - previousAlphaBar(t)) / (1 - alphaBars[t])
    }
}
