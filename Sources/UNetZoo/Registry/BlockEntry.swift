import Torch

/// A block that transforms NCHW features, optionally conditioned on the time feature.
public protocol UNetBlock: Module {
    /// - Parameters:
    ///   - x: features of shape (B, C, H, W); for the time-embedding slot, timesteps of shape (B).
    ///   - time: the time feature of shape (B, timeDim), or nil when the network has none.
    func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor
}

/// One registered block: its name, the slot it fills, how to build it and what it needs.
public struct BlockEntry: Sendable {
    public typealias Factory = @Sendable (BlockContext) throws -> UNetBlock
    /// Returns the problems of building this block in a context, in words for the user (empty when it can be built).
    public typealias Check = @Sendable (BlockContext) -> [String]
    /// Returns the output (channels, height, width) for a context.
    public typealias OutputShape = @Sendable (BlockContext) -> (channels: Int, height: Int, width: Int)

    /// The spec name, optionally namespaced (`mylab.se_resnet`).
    public var name: String
    public var slot: BlockSlot
    /// One line for `unetzoo blocks`.
    public var summary: String
    public var make: Factory
    public var check: Check
    public var outputShape: OutputShape

    public init(
        name: String, slot: BlockSlot, summary: String,
        check: @escaping Check = { _ in [] },
        outputShape: OutputShape? = nil,
        make: @escaping Factory
    ) {
        self.name = name
        self.slot = slot
        self.summary = summary
        self.make = make
        self.check = check
        self.outputShape = outputShape ?? slot.defaultOutputShape
    }
}

extension BlockSlot {
    /// Residual blocks map to the requested channels, attention keeps the shape,
    /// resamplers halve or double height and width, time embeddings output `outputChannels` features.
    var defaultOutputShape: BlockEntry.OutputShape {
        switch self {
        case .block, .attention, .timeEmbedding:
            return { ($0.outputChannels, $0.height, $0.width) }
        case .downsample:
            return { ($0.outputChannels, $0.height / 2, $0.width / 2) }
        case .upsample:
            return { ($0.outputChannels, $0.height * 2, $0.width * 2) }
        }
    }
}
