import Torch

/// A block that transforms NCHW features, optionally conditioned on the time feature.
public protocol UNetBlock: Module {
    /// - Parameters:
    ///   - x: features of shape (B, C, H, W); for the time-embedding slot, timesteps of shape (B).
    ///   - time: the time feature of shape (B, timeDim), or nil when the network has none.
    func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor
}

/// One registered block: its name, the slot it fills, its parameter schema, how to build it,
/// what it needs and what it costs.
public struct BlockEntry: Sendable {
    public typealias Factory = @Sendable (BlockContext) throws -> UNetBlock
    /// Returns the problems of building this block in a context, in words for the user (empty when it can be built).
    public typealias Check = @Sendable (BlockContext) -> [String]
    /// Returns the output (channels, height, width) for a context.
    public typealias OutputShape = @Sendable (BlockContext) -> (channels: Int, height: Int, width: Int)
    /// Returns the parameters, multiply-accumulates and activation elements of one sample in a context.
    public typealias Cost = @Sendable (BlockContext) -> BlockCost

    /// The spec name, optionally namespaced (`mylab.se_resnet`).
    public var name: String
    public var slot: BlockSlot
    /// One line for `unetzoo blocks`.
    public var summary: String
    /// The keys a spec may set for this block, with types, defaults and docs.
    public var parameters: [BlockParameter]
    public var make: Factory
    public var check: Check
    public var outputShape: OutputShape
    /// The analytic cost; nil for a block registered without one, which profiles then leave out and say so.
    public var cost: Cost?

    public init(
        name: String, slot: BlockSlot, summary: String,
        parameters: [BlockParameter] = [],
        check: @escaping Check = { _ in [] },
        outputShape: OutputShape? = nil,
        cost: Cost? = nil,
        make: @escaping Factory
    ) {
        self.name = name
        self.slot = slot
        self.summary = summary
        self.parameters = parameters
        self.make = make
        self.check = check
        self.outputShape = outputShape ?? slot.defaultOutputShape
        self.cost = cost
    }

    /// The schema entry for a key, or nil.
    public func parameter(named name: String) -> BlockParameter? {
        parameters.first { $0.name == name }
    }

    /// The context with every schema parameter that it does not set filled with its default.
    public func withDefaults(_ context: BlockContext) -> BlockContext {
        var context = context
        for parameter in parameters where context.parameters[parameter.name] == nil {
            context.parameters[parameter.name] = parameter.defaultValue
        }
        return context
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
