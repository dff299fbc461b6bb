import Foundation

/// Analytic sizes of a planned network, computed from shapes alone so that an absurd spec is
/// rejected before any tensor exists. Counts are `Double` so that no product of spec values overflows.
extension UNetPlan {
    /// The parameter count of the whole network: `init_conv`, every planned block and `final_conv.1`.
    /// For the reference blocks it equals the built network's count.
    public var analyticParameterCount: Double {
        let channels = Double(spec.channels)
        let initDim = Double(spec.resolvedInitDim)
        let outDim = Double(spec.resolvedOutDim)
        let dim = Double(spec.dim)
        let initConv = channels * initDim * 49 + initDim
        let finalConv = dim * outDim + outDim
        return blocks.reduce(initConv + finalConv) { $0 + analyticParameters(of: $1) }
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

/// Counts the parameters of one planned block from its registered name and context.
///
/// NOTE: this covers the reference blocks only; a block registered elsewhere counts as 0 here, so
/// the size guard underestimates networks made of such blocks. Registry entries that carry their
/// own analytic cost should replace this function.
func analyticParameters(of block: PlannedBlock) -> Double {
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
        return 0
    }
}

extension SpecValidator {
    func estimatedParameterCount(_ plan: UNetPlan) -> Double {
        plan.analyticParameterCount
    }

    func estimatedActivationBytes(_ plan: UNetPlan) -> Double {
        plan.analyticActivationBytes
    }
}
