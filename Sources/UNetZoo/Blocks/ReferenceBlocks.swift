import Torch

/// The registry entries of the reference U-Net's blocks.
enum ReferenceBlocks {
    static let entries: [BlockEntry] = [
        BlockEntry(
            name: "resnet", slot: .block,
            summary: "Two 3x3 conv + GroupNorm + SiLU blocks with the time feature added between them, and a residual connection",
            check: { context in groupsDivide(context.outputChannels, context.groups) },
            cost: ResNetBlock.cost
        ) { context in
            try ResNetBlock(context.inputChannels, context.outputChannels, timeDim: context.timeDim, groups: context.groups, device: context.device)
        },
        BlockEntry(
            name: "linear", slot: .attention,
            summary: "Pre-norm residual linear attention (softmax over q features and k positions), cost linear in H*W",
            cost: { context in
                PreNormResidual.cost(
                    channels: context.inputChannels, height: context.height, width: context.width,
                    inner: LinearAttention.cost(
                        channels: context.inputChannels, height: context.height, width: context.width,
                        heads: context.heads, dimHead: context.dimHead))
            }
        ) { context in
            try PreNormResidual(
                channels: context.inputChannels,
                inner: LinearAttention(channels: context.inputChannels, heads: context.heads, dimHead: context.dimHead, device: context.device),
                device: context.device)
        },
        BlockEntry(
            name: "dot_product", slot: .attention,
            summary: "Pre-norm residual multi-head dot-product self-attention, cost quadratic in H*W",
            cost: { context in
                PreNormResidual.cost(
                    channels: context.inputChannels, height: context.height, width: context.width,
                    inner: DotProductAttention.cost(
                        channels: context.inputChannels, height: context.height, width: context.width,
                        heads: context.heads, dimHead: context.dimHead))
            }
        ) { context in
            try PreNormResidual(
                channels: context.inputChannels,
                inner: DotProductAttention(channels: context.inputChannels, heads: context.heads, dimHead: context.dimHead, device: context.device),
                device: context.device)
        },
        BlockEntry(name: "none", slot: .attention, summary: "No attention: the features pass through unchanged", cost: { _ in .zero }) { _ in
            Identity()
        },
        BlockEntry(
            name: "conv", slot: .downsample, summary: "4x4 convolution with stride 2 and padding 1",
            outputShape: { ($0.inputChannels, $0.height / 2, $0.width / 2) }, cost: ConvDownsample.cost
        ) { context in
            try ConvDownsample(channels: context.inputChannels, device: context.device)
        },
        BlockEntry(
            name: "transposed_conv", slot: .upsample, summary: "4x4 transposed convolution with stride 2 and padding 1",
            outputShape: { ($0.inputChannels, $0.height * 2, $0.width * 2) }, cost: TransposedConvUpsample.cost
        ) { context in
            try TransposedConvUpsample(channels: context.inputChannels, device: context.device)
        },
        BlockEntry(
            name: "sinusoidal", slot: .timeEmbedding,
            summary: "Sinusoidal timestep features followed by Linear, GELU, Linear",
            check: { context in
                context.inputChannels >= 4 && context.inputChannels % 2 == 0
                    ? [] : ["the sinusoidal time embedding needs an even width of at least 4, got \(context.inputChannels) (the width is dim)"]
            },
            cost: { context in SinusoidalTimeEmbedding.cost(dim: context.inputChannels, outputDim: context.outputChannels) }
        ) { context in
            try SinusoidalTimeEmbedding(dim: context.inputChannels, outputDim: context.outputChannels, device: context.device)
        },
    ]
}

/// The problem with normalising `channels` in `groups` groups, if any, with the groups that would work.
public func groupsDivide(_ channels: Int, _ groups: Int) -> [String] {
    guard groups <= 0 || channels % groups != 0 else { return [] }
    // Divisors come in pairs (d, channels / d), so trial division up to the square root finds all of them.
    var small: [Int] = []
    var large: [Int] = []
    var divisor = 1
    while divisor * divisor <= channels {
        if channels % divisor == 0 {
            small.append(divisor)
            if divisor * divisor != channels {
                large.append(channels / divisor)
            }
        }
        divisor += 1
    }
    let divisors = (small + large.reversed()).map(String.init)
    return ["\(channels) channels are not divisible by \(groups) groups; groups that divide \(channels): \(divisors.joined(separator: ", "))"]
}
