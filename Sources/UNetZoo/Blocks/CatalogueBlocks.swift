import Torch

/// The registry entries of the blocks beyond the reference U-Net's: alternatives for every slot.
enum CatalogueBlocks {
    static let entries: [BlockEntry] = [
        BlockEntry(
            name: "convnext", slot: .block,
            summary: "ConvNeXt block of Annotated Diffusion: depthwise 7x7 conv, time added, GroupNorm(1), conv to mult x, GELU, GroupNorm(1), conv",
            parameters: [ConvNeXtBlock.mult, ConvNeXtBlock.norm],
            check: { context in
                context.int(ConvNeXtBlock.mult) > 0 ? [] : ["the convnext block needs mult of at least 1, got \(context.int(ConvNeXtBlock.mult))"]
            },
            cost: ConvNeXtBlock.cost
        ) { context in
            try ConvNeXtBlock(
                context.inputChannels, context.outputChannels, timeDim: context.timeDim, mult: context.int(ConvNeXtBlock.mult),
                norm: context.bool(ConvNeXtBlock.norm), device: context.device)
        },
        BlockEntry(
            name: "scale_shift_resnet", slot: .block,
            summary: "Improved-diffusion residual block: time as scale and shift after the second norm, dropout, zero-initialised last conv",
            parameters: [ScaleShiftResNetBlock.dropout],
            check: { context in
                let dropout = context.double(ScaleShiftResNetBlock.dropout)
                let dropoutProblems = (0..<1).contains(dropout) ? [] : ["the scale_shift_resnet block needs dropout in [0, 1), got \(dropout)"]
                // the first norm normalises the input channels, the second the output channels
                let channels = context.inputChannels == context.outputChannels ? [context.inputChannels] : [context.inputChannels, context.outputChannels]
                return channels.flatMap { groupsDivide($0, context.groups) } + dropoutProblems
            },
            cost: ScaleShiftResNetBlock.cost
        ) { context in
            try ScaleShiftResNetBlock(
                context.inputChannels, context.outputChannels, timeDim: context.timeDim, groups: context.groups,
                dropout: context.double(ScaleShiftResNetBlock.dropout), device: context.device)
        },
        BlockEntry(
            name: "avgpool", slot: .downsample,
            summary: "2x2 average pooling, then a 1x1 conv where the channel count changes",
            cost: AvgPoolDownsample.cost
        ) { context in
            try AvgPoolDownsample(context.inputChannels, context.outputChannels, device: context.device)
        },
        BlockEntry(
            name: "pixel_unshuffle", slot: .downsample,
            summary: "Pixel unshuffle of 2x2 patches into 4x channels, then a 1x1 conv",
            cost: PixelUnshuffleDownsample.cost
        ) { context in
            try PixelUnshuffleDownsample(context.inputChannels, context.outputChannels, device: context.device)
        },
        BlockEntry(
            name: "nearest_conv", slot: .upsample,
            summary: "Nearest-neighbour upsampling by 2, then a 3x3 conv",
            cost: NearestConvUpsample.cost
        ) { context in
            try NearestConvUpsample(context.inputChannels, context.outputChannels, device: context.device)
        },
        BlockEntry(
            name: "pixel_shuffle", slot: .upsample,
            summary: "1x1 conv to 4x channels, then pixel shuffle into 2x2 patches",
            cost: PixelShuffleUpsample.cost
        ) { context in
            try PixelShuffleUpsample(context.inputChannels, context.outputChannels, device: context.device)
        },
        BlockEntry(
            name: "learned", slot: .timeEmbedding,
            summary: "Learned table of one vector per timestep, followed by Linear, GELU, Linear",
            parameters: [LearnedTimeEmbedding.timesteps],
            check: { context in
                context.int(LearnedTimeEmbedding.timesteps) > 0
                    ? [] : ["the learned time embedding needs timesteps of at least 1, got \(context.int(LearnedTimeEmbedding.timesteps))"]
            },
            cost: LearnedTimeEmbedding.cost
        ) { context in
            try LearnedTimeEmbedding(
                timesteps: context.int(LearnedTimeEmbedding.timesteps), dim: context.inputChannels,
                outputDim: context.outputChannels, device: context.device)
        },
        BlockEntry(
            name: "random_fourier", slot: .timeEmbedding,
            summary: "Random Fourier features sin and cos of 2 pi t w, w ~ N(0, scale^2), followed by Linear, GELU, Linear",
            parameters: [FourierTimeEmbedding.scale, FourierTimeEmbedding.learned],
            check: { context in
                context.inputChannels >= 2
                    ? [] : ["the random_fourier time embedding needs a width of at least 2, got \(context.inputChannels) (the width is dim)"]
            },
            cost: FourierTimeEmbedding.cost
        ) { context in
            try FourierTimeEmbedding(
                dim: context.inputChannels, outputDim: context.outputChannels, scale: context.double(FourierTimeEmbedding.scale),
                learned: context.bool(FourierTimeEmbedding.learned), device: context.device)
        },
    ]
}
