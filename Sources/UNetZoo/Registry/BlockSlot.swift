/// The place in a U-Net that a registered block fills. A spec key names a block for one slot.
public enum BlockSlot: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The residual blocks of every level, the middle and the output (`block`).
    case block
    /// The attention after the residual blocks of a level (`attention`) or in the middle (`mid_attention`).
    case attention
    /// Halves the spatial size between down levels (`downsample`).
    case downsample
    /// Doubles the spatial size after each up level (`upsample`).
    case upsample
    /// Maps integer timesteps to the time feature that residual blocks add (`time_embedding`).
    case timeEmbedding = "time_embedding"

    public var description: String { rawValue }

    /// The spec key that names blocks for this slot.
    public var specKey: String { rawValue }
}

/// Everything a factory needs to build one block at one place of the network.
public struct BlockContext: Sendable {
    /// The dotted module path the block's parameters are named under (`downs.1.0`).
    public var path: String
    public var inputChannels: Int
    public var outputChannels: Int
    /// Height and width of the block's input.
    public var height: Int
    public var width: Int
    /// Width of the time feature, nil where the block receives none.
    public var timeDim: Int?
    /// Groups of the block's group normalisations.
    public var groups: Int
    public var heads: Int
    public var dimHead: Int
    /// The block's schema parameters by name, as the spec sets them and with defaults filled in by the plan.
    public var parameters: [String: BlockParameterValue]
    public var device: Device

    public init(
        path: String, inputChannels: Int, outputChannels: Int, height: Int, width: Int, timeDim: Int?,
        groups: Int, heads: Int, dimHead: Int, parameters: [String: BlockParameterValue] = [:], device: Device = .cpu
    ) {
        self.path = path
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.height = height
        self.width = width
        self.timeDim = timeDim
        self.groups = groups
        self.heads = heads
        self.dimHead = dimHead
        self.parameters = parameters
        self.device = device
    }
}

import Torch
