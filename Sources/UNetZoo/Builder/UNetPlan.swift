import Torch

/// One block of a planned network: where it sits, which registered block fills it, and its shapes.
public struct PlannedBlock: Sendable {
    /// The module path its parameters are named under (`downs.1.0`).
    public var path: String
    public var slot: BlockSlot
    /// The registered name (`resnet`, `linear`, ...); `identity` for the last level's missing downsample.
    public var name: String
    public var context: BlockContext
    /// Output (channels, height, width) from the entry's analytic shape function.
    public var output: (channels: Int, height: Int, width: Int)
    /// The spec key that chose this block (`levels.1.attention` or `attention`), for diagnostics.
    public var nameKey: String
    /// The spec key that chose its groups (`levels.1.groups` or `resnet_block_groups`).
    public var groupsKey: String
    /// The U-Net level it belongs to, nil for the time embedding, the middle and the output block.
    public var level: Int?
    /// The block parameters the spec sets for this block, each with the key path that sets it
    /// (`block_params.mult` or `levels.1.block_params.mult`). A level's setting of the same name wins.
    /// Only values that fit the entry's schema reach `context.parameters`.
    public var givenParameters: [(name: String, value: BlockParameterValue, keyPath: String)] = []
}

/// The whole network laid out from a spec without allocating a tensor: every block in forward order
/// with its context and shapes. Validation and the builder both work from it.
public struct UNetPlan: Sendable {
    public var spec: UNetSpec
    /// Width of the time feature, nil when the spec has `with_time_emb: false`.
    public var timeDim: Int?
    /// Residual blocks per level: `downs.i.0 ..< blocksPerLevel` are residual blocks, then attention, then the resampler.
    public var blocksPerLevel: Int
    public var timeEmbedding: PlannedBlock?
    public var downs: [[PlannedBlock]]
    public var middle: [PlannedBlock]
    public var ups: [[PlannedBlock]]
    public var finalBlock: PlannedBlock

    /// The blocks in forward order.
    public var blocks: [PlannedBlock] {
        (timeEmbedding.map { [$0] } ?? []) + downs.flatMap { $0 } + middle + ups.flatMap { $0 } + [finalBlock]
    }

    /// Lays out `spec`.
    ///
    /// The plan is made even for a spec with problems (odd sizes, indivisible groups), so that
    /// `SpecValidator` can report all of them; unknown block names are kept as they are.
    public init(spec: UNetSpec, registry: BlockRegistry = .standard, device: Device = .cpu) {
        self.spec = spec
        let dims = spec.dims
        let levelCount = spec.dimMults.count
        let timeDim = spec.withTimeEmb ? spec.dim : nil
        self.timeDim = timeDim
        let blocksPerLevel = max(spec.blocksPerLevel, 1)
        self.blocksPerLevel = blocksPerLevel

        func key(_ level: Int?, _ name: String, fallback: String) -> String {
            guard let level, level < spec.levels.count else { return fallback }
            let override = spec.levels[level]
            let isSet: Bool
            switch name {
            case "block": isSet = override.block != nil
            case "attention": isSet = override.attention != nil
            case "groups": isSet = override.groups != nil
            default: isSet = false
            }
            return isSet ? "levels.\(level).\(name)" : fallback
        }

        func plan(
            _ path: String, _ slot: BlockSlot, _ name: String, input: (Int, Int, Int), outputChannels: Int,
            level: Int?, time: Int?, nameKey: String
        ) -> PlannedBlock {
            let choices = level.map { spec.level($0) } ?? spec.level(Int.max)
            let context = BlockContext(
                path: path, inputChannels: input.0, outputChannels: outputChannels, height: input.1, width: input.2,
                timeDim: time, groups: choices.groups ?? spec.resnetBlockGroups, heads: choices.heads ?? spec.heads,
                dimHead: choices.dimHead ?? spec.dimHead, device: device)
            let given = givenParameters(nameKey: nameKey, level: level)
            let entry = registry.entry(slot, name)
            var resolved = context
            for setting in given {
                if let value = entry?.parameter(named: setting.name)?.accepting(setting.value) {
                    resolved.parameters[setting.name] = value
                }
            }
            resolved = entry?.withDefaults(resolved) ?? resolved
            let output = entry?.outputShape(resolved) ?? slot.defaultOutputShape(resolved)
            return PlannedBlock(
                path: path, slot: slot, name: name, context: resolved, output: output, nameKey: nameKey,
                groupsKey: key(level, "groups", fallback: "resnet_block_groups"), level: level, givenParameters: given)
        }

        // network-wide settings first, so that a level's setting of the same name replaces them
        func givenParameters(nameKey: String, level: Int?) -> [(name: String, value: BlockParameterValue, keyPath: String)] {
            let slotKey = nameKey.split(separator: ".").last.map(String.init) ?? nameKey
            var settings: [String: (value: BlockParameterValue, keyPath: String)] = [:]
            // network-wide settings configure the network-wide block, not a block a level chooses instead
            let networkWide = nameKey.hasPrefix("levels.") ? [:] : spec.blockParameters[slotKey] ?? [:]
            for (name, value) in networkWide {
                settings[name] = (value, "\(slotKey)_params.\(name)")
            }
            if let level, level < spec.levels.count {
                for (name, value) in spec.levels[level].blockParameters[slotKey] ?? [:] {
                    settings[name] = (value, "levels.\(level).\(slotKey)_params.\(name)")
                }
            }
            return settings.keys.sorted().map { (name: $0, value: settings[$0]!.value, keyPath: settings[$0]!.keyPath) }
        }

        timeEmbedding = timeDim.map { width in
            plan("time_mlp", .timeEmbedding, spec.timeEmbedding, input: (spec.dim, 1, 1), outputChannels: width,
                 level: nil, time: nil, nameKey: "time_embedding")
        }

        // down levels: residual blocks, attention, then a downsample except on the last level
        var shape = (dims[0], spec.imageSize.height, spec.imageSize.width)
        var downs: [[PlannedBlock]] = []
        var skips: [(Int, Int, Int)] = []
        for level in 0..<levelCount {
            let choices = spec.level(level)
            let out = dims[level + 1]
            let blockKey = key(level, "block", fallback: "block")
            var stage: [PlannedBlock] = []
            var input = shape
            for index in 0..<blocksPerLevel {
                let block = plan("downs.\(level).\(index)", .block, choices.block!, input: input, outputChannels: out, level: level, time: timeDim, nameKey: blockKey)
                stage.append(block)
                input = block.output
            }
            let attention = plan("downs.\(level).\(blocksPerLevel)", .attention, choices.attention!, input: input, outputChannels: input.0, level: level, time: timeDim, nameKey: key(level, "attention", fallback: "attention"))
            skips.append(attention.output)
            stage.append(attention)
            if level < levelCount - 1 {
                stage.append(plan("downs.\(level).\(blocksPerLevel + 1)", .downsample, spec.downsample, input: attention.output, outputChannels: attention.output.channels, level: level, time: nil, nameKey: "downsample"))
            }
            shape = stage.last!.output
            downs.append(stage)
        }
        self.downs = downs

        // middle, at the last level's resolution and width
        let midChannels = dims[levelCount]
        let mid1 = plan("mid_block1", .block, spec.block, input: shape, outputChannels: midChannels, level: nil, time: timeDim, nameKey: "block")
        let midAttention = plan("mid_attn", .attention, spec.midAttention, input: mid1.output, outputChannels: mid1.output.channels, level: nil, time: timeDim, nameKey: "mid_attention")
        let mid2 = plan("mid_block2", .block, spec.block, input: midAttention.output, outputChannels: midChannels, level: nil, time: timeDim, nameKey: "block")
        middle = [mid1, midAttention, mid2]
        shape = mid2.output

        // up levels run at the resolution of down levels n-1 ... 1 and take their skips;
        // the first level's skip is never used, as in the reference
        var ups: [[PlannedBlock]] = []
        for (index, level) in (1..<max(levelCount, 1)).reversed().enumerated() {
            let choices = spec.level(level)
            let out = dims[level]
            let skip = skips[level]
            let blockKey = key(level, "block", fallback: "block")
            var stage: [PlannedBlock] = []
            var input = (shape.0 + skip.0, shape.1, shape.2)
            for block in 0..<blocksPerLevel {
                let planned = plan("ups.\(index).\(block)", .block, choices.block!, input: input, outputChannels: out, level: level, time: timeDim, nameKey: blockKey)
                stage.append(planned)
                input = planned.output
            }
            let attention = plan("ups.\(index).\(blocksPerLevel)", .attention, choices.attention!, input: input, outputChannels: out, level: level, time: timeDim, nameKey: key(level, "attention", fallback: "attention"))
            let upsample = plan("ups.\(index).\(blocksPerLevel + 1)", .upsample, spec.upsample, input: attention.output, outputChannels: out, level: level, time: nil, nameKey: "upsample")
            stage += [attention, upsample]
            ups.append(stage)
            shape = upsample.output
        }
        self.ups = ups

        // output: a residual block without time input to `dim` channels, then the 1x1 convolution in the builder
        finalBlock = plan("final_conv.0", .block, spec.block, input: shape, outputChannels: spec.dim, level: nil, time: nil, nameKey: "block")
    }
}
