/// One value of a resolved spec with where it came from, for `unetzoo validate --explain`.
public struct ExplainedValue: Sendable {
    public enum Origin: Sendable, Equatable {
        /// A file or an override gives the value at this location.
        case given(SourceLocation)
        /// The value is a default; the text names which (`default`, `dim // 3 * 2`, `from attention`).
        case defaulted(String)
    }

    /// The dotted key path (`dim`, `levels.1.attention`).
    public var path: String
    /// The value as it would be written in a spec (`28`, `[1, 2, 4]`, `linear`).
    public var value: String
    /// The value for JSON: an `Int`, `Double`, `Bool`, `String` or `[Int]`.
    public var jsonValue: any Sendable
    public var origin: Origin
}

extension UNetSpec {
    /// Lists every key of the spec with its resolved value, marked as given or default, in the order of the key table.
    ///
    /// - Parameters:
    ///   - given: where each given value sits, by key path (`SpecResolution.given`).
    ///   - registry: the blocks whose parameter schemas give the defaults of the `*_params` keys.
    public func explained(given: [String: SourceLocation], registry: BlockRegistry = .standard) -> [ExplainedValue] {
        var rows: [ExplainedValue] = []
        func add(_ path: String, _ value: String, _ jsonValue: any Sendable, default text: String = "default") {
            let origin: ExplainedValue.Origin = given[path].map { .given($0) } ?? .defaulted(text)
            rows.append(ExplainedValue(path: path, value: value, jsonValue: jsonValue, origin: origin))
        }
        func list(_ values: [Int]) -> String {
            "[" + values.map(String.init).joined(separator: ", ") + "]"
        }

        add("name", name, name, default: "the file name without extension")
        if imageSize.height == imageSize.width && given["image_size.0"] == nil {
            add("image_size", "\(imageSize.height)", imageSize.height)
        } else {
            add("image_size", list([imageSize.height, imageSize.width]), [imageSize.height, imageSize.width])
        }
        add("channels", "\(channels)", channels)
        add("dim", "\(dim)", dim)
        add("dim_mults", list(dimMults), dimMults)
        add("resnet_block_groups", "\(resnetBlockGroups)", resnetBlockGroups)
        add("init_dim", "\(resolvedInitDim)", resolvedInitDim, default: "dim // 3 * 2")
        add("out_dim", "\(resolvedOutDim)", resolvedOutDim, default: "channels")
        add("with_time_emb", "\(withTimeEmb)", withTimeEmb)
        add("block", block, block)
        add("attention", attention, attention)
        add("mid_attention", midAttention, midAttention)
        add("downsample", downsample, downsample)
        add("upsample", upsample, upsample)
        add("time_embedding", timeEmbedding, timeEmbedding)
        add("heads", "\(heads)", heads)
        add("dim_head", "\(dimHead)", dimHead)
        add("blocks_per_level", "\(blocksPerLevel)", blocksPerLevel)
        let networkWideBlocks: [(slotKey: String, slot: BlockSlot, name: String)] = [
            ("block", .block, block), ("attention", .attention, attention), ("mid_attention", .attention, midAttention),
            ("downsample", .downsample, downsample), ("upsample", .upsample, upsample),
            ("time_embedding", .timeEmbedding, timeEmbedding),
        ]
        for (slotKey, slot, name) in networkWideBlocks {
            let values = blockParameters[slotKey] ?? [:]
            for (parameter, value) in resolvedParameters(values, entry: registry.entry(slot, name)) {
                add("\(slotKey)_params.\(parameter)", value.description, value.sendableValue, default: "of \(name)")
            }
        }
        for index in dimMults.indices {
            let resolved = level(index)
            let prefix = "levels.\(index)"
            add("\(prefix).block", resolved.block!, resolved.block!, default: "from block")
            add("\(prefix).attention", resolved.attention!, resolved.attention!, default: "from attention")
            add("\(prefix).groups", "\(resolved.groups!)", resolved.groups!, default: "from resnet_block_groups")
            add("\(prefix).heads", "\(resolved.heads!)", resolved.heads!, default: "from heads")
            add("\(prefix).dim_head", "\(resolved.dimHead!)", resolved.dimHead!, default: "from dim_head")
            let override = index < levels.count ? levels[index] : Level()
            for (slotKey, slot, name) in [("block", BlockSlot.block, resolved.block!), ("attention", .attention, resolved.attention!)] {
                // network-wide settings reach a level's block only when the level does not name its own
                let namesOwn = slotKey == "block" ? override.block != nil : override.attention != nil
                let networkWide = namesOwn ? [:] : blockParameters[slotKey] ?? [:]
                let own = override.blockParameters[slotKey] ?? [:]
                let values = networkWide.merging(own) { _, level in level }
                for (parameter, value) in resolvedParameters(values, entry: registry.entry(slot, name)) {
                    let source = networkWide[parameter] != nil && own[parameter] == nil ? "from \(slotKey)_params" : "of \(name)"
                    add("\(prefix).\(slotKey)_params.\(parameter)", value.description, value.sendableValue, default: source)
                }
            }
        }
        return rows
    }

    /// Returns every parameter of the entry's schema with its given or default value, in schema
    /// order, followed by the given values the schema does not know, by name.
    private func resolvedParameters(
        _ values: [String: BlockParameterValue], entry: BlockEntry?
    ) -> [(name: String, value: BlockParameterValue)] {
        let schema = entry?.parameters ?? []
        let known = schema.map { (name: $0.name, value: values[$0.name] ?? $0.defaultValue) }
        let unknown = values.keys.filter { name in !schema.contains { $0.name == name } }.sorted()
        return known + unknown.map { (name: $0, value: values[$0]!) }
    }
}

extension BlockParameterValue {
    /// The value for JSON: an `Int`, `Double`, `Bool` or `String`.
    var sendableValue: any Sendable {
        switch self {
        case .int(let value): return value
        case .float(let value): return value
        case .bool(let value): return value
        case .string(let value): return value
        }
    }
}
