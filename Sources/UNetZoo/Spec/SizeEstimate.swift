import Foundation

/// Analytic sizes of a planned network, computed from shapes alone so that an absurd spec is
/// rejected before any tensor exists. Counts are `Double` so that no product of spec values overflows.
extension UNetPlan {
    /// The parameter count of the whole network with the standard registry's blocks.
    public var analyticParameterCount: Double {
        analyticParameterCount(registry: .standard)
    }

    /// The parameter count of the whole network: `init_conv`, every planned block and `final_conv.1`.
    /// For blocks with a registered cost it equals the built network's count. It is `+infinity`
    /// when a block is too large for its cost to be computed in `Int` arithmetic.
    public func analyticParameterCount(registry: BlockRegistry) -> Double {
        let channels = Double(spec.channels)
        let initDim = Double(spec.resolvedInitDim)
        let outDim = Double(spec.resolvedOutDim)
        let dim = Double(spec.dim)
        let initConv = channels * initDim * 49 + initDim
        let finalConv = dim * outDim + outDim
        return blocks.reduce(initConv + finalConv) { $0 + analyticParameters(of: $1, registry: registry) }
    }

    /// Estimated bytes of float32 activations of one forward pass on one image: every block's
    /// output several times over (the intermediates inside a block), plus the position-by-position
    /// similarity matrices of dot-product attention, which dominate at high resolution.
    public var analyticActivationBytes: Double {
        var elements = 0.0
        for block in blocks where block.slot != .timeEmbedding {
            let output = Double(block.output.channels) * Double(block.output.height) * Double(block.output.width)
            elements += 4 * output
            if block.slot == .attention && block.name == "dot_product" {
                let positions = Double(block.context.height) * Double(block.context.width)
                elements += 2 * Double(block.context.heads) * positions * positions
            }
        }
        return elements * 4
    }
}

/// Counts the parameters of one planned block.
///
/// The reference blocks are counted with `Double` formulas, so that a huge reference network still
/// gets its real count. Any other block is counted by its registered cost when its context is small
/// enough for that cost's `Int` arithmetic (see `isSmallEnoughForIntegerCost`), and as `+infinity`
/// otherwise, so that the size guard rejects it instead of the cost trapping on overflow.
/// NOTE: a block registered without a cost counts as 0, so the size guard underestimates
/// networks made of such blocks.
func analyticParameters(of block: PlannedBlock, registry: BlockRegistry = .standard) -> Double {
    let context = block.context
    let input = Double(context.inputChannels)
    let output = Double(context.outputChannels)
    switch (block.slot, block.name) {
    case (.block, "resnet"):
        let time = context.timeDim.map { Double($0) * output + output } ?? 0
        let first = input * output * 9 + output + 2 * output
        let second = output * output * 9 + output + 2 * output
        let residual = context.inputChannels == context.outputChannels ? 0 : input * output + output
        return time + first + second + residual
    case (.attention, "linear"), (.attention, "dot_product"):
        let hidden = Double(context.heads) * Double(context.dimHead)
        let outputNorm = block.name == "linear" ? 2 * input : 0
        return input * hidden * 3 + hidden * input + input + outputNorm + 2 * input
    case (.downsample, "conv"), (.upsample, "transposed_conv"):
        return input * input * 16 + input
    case (.timeEmbedding, "sinusoidal"):
        return input * output + output + output * output + output
    default:
        guard let cost = registry.entry(block.slot, block.name)?.cost else { return 0 }
        guard isSmallEnoughForIntegerCost(context) else { return .infinity }
        return Double(cost(context).parameters)
    }
}

/// Whether a block's `Int` cost can be computed for `context` without overflow.
///
/// Each term of the registered costs multiplies at most two channel-like values (channels, time
/// width, heads times dim_head), one integer block parameter (`mult`, `timesteps`) and the positions
/// of at most twice the input's height and width. The constant factors stay below 2^8 (a 7x7
/// kernel, a factor of 4), and a cost sums fewer than 2^6 terms. Bounding the product of those values by 2^48 keeps the
/// whole sum below 2^62. A network that exceeds it has far more than the parameter limit anyway.
/// NOTE: the bound holds for the costs registered in this package. A block registered elsewhere
/// whose cost multiplies more of these values can still overflow.
func isSmallEnoughForIntegerCost(_ context: BlockContext) -> Bool {
    let channelLike = [
        Double(context.inputChannels), Double(context.outputChannels), Double(context.timeDim ?? 1),
        Double(context.heads) * Double(context.dimHead), Double(context.groups),
    ].map(abs).max() ?? 1
    let largestParameter = context.parameters.values.reduce(1.0) { largest, value in
        if case .int(let number) = value { return max(largest, abs(Double(number))) }
        return largest
    }
    let positions = 4 * Double(context.height) * Double(context.width)
    return channelLike * channelLike * largestParameter * max(positions, 1) <= 0x1p48
}

extension SpecValidator {
    func estimatedParameterCount(_ plan: UNetPlan) -> Double {
        plan.analyticParameterCount(registry: registry)
    }

    func estimatedActivationBytes(_ plan: UNetPlan) -> Double {
        plan.analyticActivationBytes
    }
}
