/// Chooses the images and flips of every training batch from a seed and the step number alone.
///
/// Each pass over the data set (epoch) uses its own seeded permutation, and batches run on across
/// epoch boundaries, so batch `step` is the same whether a run is continuous or resumed from a
/// checkpoint: no sampler state needs saving.
public struct BatchSampler: Sendable {
    public let datasetCount: Int
    public let batchSize: Int
    public let seed: UInt64
    /// Whether to mirror each image left to right with probability 1/2.
    public let horizontalFlips: Bool

    private var cachedEpoch = -1
    private var cachedPermutation: [Int] = []

    public init(datasetCount: Int, batchSize: Int, seed: UInt64, horizontalFlips: Bool) {
        precondition(datasetCount > 0 && batchSize > 0, "a batch sampler needs images and a positive batch size")
        self.datasetCount = datasetCount
        self.batchSize = batchSize
        self.seed = seed
        self.horizontalFlips = horizontalFlips
    }

    /// The dataset indices and flips of the batch used at `step` (1-based).
    public mutating func batch(step: Int) -> (indices: [Int], flips: [Bool]) {
        var indices: [Int] = []
        var flips: [Bool] = []
        indices.reserveCapacity(batchSize)
        let first = (step - 1) * batchSize
        for position in first..<(first + batchSize) {
            let epoch = position / datasetCount
            if epoch != cachedEpoch {
                cachedPermutation = Self.permutation(count: datasetCount, seed: seed, epoch: epoch)
                cachedEpoch = epoch
            }
            indices.append(cachedPermutation[position % datasetCount])
        }
        if horizontalFlips {
            var generator = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B &+ UInt64(step) &* 0x9E37_79B9_7F4A_7C15)
            flips = (0..<batchSize).map { _ in generator.next() & 1 == 1 }
        }
        return (indices, flips)
    }

    /// A Fisher–Yates shuffle of `0..<count` driven by SplitMix64.
    static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        var generator = SplitMix64(seed: seed &+ UInt64(epoch) &* 0xD1B5_4A32_D192_ED03)
        var values = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            let other = Int(generator.next(below: UInt64(index + 1)))
            values.swapAt(index, other)
        }
        return values
    }
}

/// Sebastiano Vigna's SplitMix64: a small, fast generator whose output depends only on its seed,
/// unlike Swift's `SystemRandomNumberGenerator`.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound`, by Lemire's multiply-shift (the slight bias is below 2^-32 for data-set sizes).
    mutating func next(below bound: UInt64) -> UInt64 {
        next().multipliedFullWidth(by: bound).high
    }
}
