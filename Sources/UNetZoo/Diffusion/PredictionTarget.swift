/// What the network is trained to output from a noisy image x_t.
public enum PredictionTarget: String, CaseIterable, Sendable {
    /// The added noise ε (Ho et al., 2020; the reference).
    case epsilon
    /// The velocity v = √ᾱ_t ε − √(1 − ᾱ_t) x_0 (Salimans and Ho, 2022).
    case v
    /// The clean image x_0.
    case x0
}
