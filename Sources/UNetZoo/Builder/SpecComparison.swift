/// Two U-Net variants side by side: every resolved key whose value differs, and the analytic
/// parameters and MACs of both per part of the network.
public struct SpecComparison: Sendable {
    /// One resolved key with its value in each spec; nil where that spec has no such key
    /// (a level or a block parameter that exists only in the other).
    public struct KeyDifference: Equatable, Sendable {
        public var key: String
        public var left: String?
        public var right: String?
    }

    /// One part of the network (`level 1`, `middle`) with the cost of one sample in each spec;
    /// nil where that spec has no such part.
    public struct PartDifference: Sendable {
        public var part: String
        public var left: BlockCost?
        public var right: BlockCost?
    }

    public var keys: [KeyDifference]
    public var parts: [PartDifference]
    public var leftTotal: BlockCost
    public var rightTotal: BlockCost

    /// Compares two specs by their plans and analytic costs; nothing is allocated.
    public init(_ left: UNetSpec, _ right: UNetSpec, registry: BlockRegistry = .standard) {
        let leftPlan = UNetPlan(spec: left, registry: registry)
        let rightPlan = UNetPlan(spec: right, registry: registry)
        let leftKeys = Self.resolvedKeys(leftPlan)
        let rightKeys = Self.resolvedKeys(rightPlan)

        var order = leftKeys.map(\.key)
        for (key, _) in rightKeys where !order.contains(key) {
            order.append(key)
        }
        let leftValues = Dictionary(leftKeys, uniquingKeysWith: { first, _ in first })
        let rightValues = Dictionary(rightKeys, uniquingKeysWith: { first, _ in first })
        keys = order.filter { $0 != "name" && leftValues[$0] != rightValues[$0] }
            .map { KeyDifference(key: $0, left: leftValues[$0], right: rightValues[$0]) }

        let leftProfile = Profiler.profile(leftPlan, registry: registry)
        let rightProfile = Profiler.profile(rightPlan, registry: registry)
        let leftParts = Dictionary(leftProfile.parts.map { ($0.part, $0.cost) }, uniquingKeysWith: { first, _ in first })
        let rightParts = Dictionary(rightProfile.parts.map { ($0.part, $0.cost) }, uniquingKeysWith: { first, _ in first })
        var partOrder = leftProfile.parts.map(\.part)
        for part in rightProfile.parts.map(\.part) where !partOrder.contains(part) {
            partOrder.insert(part, at: partOrder.firstIndex(of: "middle") ?? partOrder.count)
        }
        parts = partOrder.map { PartDifference(part: $0, left: leftParts[$0], right: rightParts[$0]) }
        leftTotal = leftProfile.total
        rightTotal = rightProfile.total
    }

    /// Every key of a spec with defaults applied, per level where levels can differ, and the block
    /// parameters each block position resolves to, in a stable order.
    public static func resolvedKeys(_ plan: UNetPlan) -> [(key: String, value: String)] {
        let spec = plan.spec
        var keys: [(key: String, value: String)] = [
            ("name", spec.name), ("image_size", spec.imageSize.description), ("channels", "\(spec.channels)"),
            ("dim", "\(spec.dim)"), ("dim_mults", "\(spec.dimMults)"), ("init_dim", "\(spec.resolvedInitDim)"),
            ("out_dim", "\(spec.resolvedOutDim)"), ("with_time_emb", "\(spec.withTimeEmb)"),
            ("blocks_per_level", "\(plan.blocksPerLevel)"), ("block", spec.block), ("attention", spec.attention),
            ("resnet_block_groups", "\(spec.resnetBlockGroups)"), ("heads", "\(spec.heads)"), ("dim_head", "\(spec.dimHead)"),
            ("mid_attention", spec.midAttention), ("downsample", spec.downsample), ("upsample", spec.upsample),
            ("time_embedding", spec.timeEmbedding),
        ]
        for level in spec.dimMults.indices {
            let choices = spec.level(level)
            keys += [
                ("levels.\(level).block", choices.block ?? spec.block),
                ("levels.\(level).attention", choices.attention ?? spec.attention),
                ("levels.\(level).groups", "\(choices.groups ?? spec.resnetBlockGroups)"),
                ("levels.\(level).heads", "\(choices.heads ?? spec.heads)"),
                ("levels.\(level).dim_head", "\(choices.dimHead ?? spec.dimHead)"),
            ]
        }

        // block parameters as resolved for the first block of each kind and place
        func parameters(_ prefix: String, _ block: PlannedBlock?) -> [(key: String, value: String)] {
            guard let block else { return [] }
            return block.context.parameters.keys.sorted().map { ("\(prefix).\($0)", block.context.parameters[$0]!.description) }
        }
        for (level, stage) in plan.downs.enumerated() {
            keys += parameters("levels.\(level).block_params", stage.first)
            keys += parameters("levels.\(level).attention_params", stage[plan.blocksPerLevel])
        }
        keys += parameters("block_params", plan.middle.first)
        keys += parameters("mid_attention_params", plan.middle[1])
        keys += parameters("downsample_params", plan.downs.first.flatMap { $0.count > plan.blocksPerLevel + 1 ? $0.last : nil })
        keys += parameters("upsample_params", plan.ups.first?.last)
        keys += parameters("time_embedding_params", plan.timeEmbedding)
        return keys
    }
}
