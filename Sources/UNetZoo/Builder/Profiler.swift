/// One module of a profiled network.
public struct ModuleProfile: Equatable, Sendable {
    /// The module path its parameters are named under (`downs.1.0`).
    public var path: String
    /// The slot and registered name (`block resnet`), or the fixed layer (`conv 7x7`).
    public var kind: String
    /// The part of the network it belongs to: `input`, `time`, `level N`, `middle` or `output`.
    public var part: String
    /// Output shape with the batch first.
    public var outputShape: [Int]
    /// The cost of one sample, nil when the block was registered without a cost.
    public var cost: BlockCost?
}

/// The analytic profile of a whole network, made from a plan and the registry's costs alone.
///
/// Activation memory assumes float32 (4 bytes per element). The channel concatenations of the
/// skip connections are not counted as activations.
public struct UNetProfile: Sendable {
    public var batch: Int
    public var modules: [ModuleProfile]

    /// The summed cost of one sample over modules with a known cost.
    public var total: BlockCost {
        modules.reduce(.zero) { $0 + ($1.cost ?? .zero) }
    }

    /// The paths of modules whose block has no registered cost; totals leave them out.
    public var modulesWithoutCost: [String] {
        modules.filter { $0.cost == nil }.map(\.path)
    }

    /// Summed costs per part, in forward order of first appearance (`level 1` covers its down and up stages).
    public var parts: [(part: String, cost: BlockCost)] {
        var order: [String] = []
        var sums: [String: BlockCost] = [:]
        for module in modules {
            if sums[module.part] == nil {
                order.append(module.part)
            }
            sums[module.part, default: .zero] += module.cost ?? .zero
        }
        let levels = order.filter { $0.hasPrefix("level ") }
        let sorted = order.filter { $0 == "input" || $0 == "time" } + levels + order.filter { $0 == "middle" || $0 == "output" }
        return sorted.map { ($0, sums[$0]!) }
    }

    /// Bytes of activations for the whole batch at 4 bytes per element.
    public func activationBytes(_ cost: BlockCost) -> Int {
        cost.activations * batch * 4
    }
}

/// Profiles planned networks without allocating a tensor.
public enum Profiler {
    /// The profile of `plan` for a batch, from the analytic output shapes and costs of `registry`.
    public static func profile(_ plan: UNetPlan, registry: BlockRegistry = .standard, batch: Int = 1) -> UNetProfile {
        let spec = plan.spec
        let (height, width) = (spec.imageSize.height, spec.imageSize.width)
        var modules = [
            ModuleProfile(
                path: "init_conv", kind: "conv 7x7", part: "input", outputShape: [batch, spec.resolvedInitDim, height, width],
                cost: .conv2d(spec.channels, spec.resolvedInitDim, kernelSize: 7, outputHeight: height, outputWidth: width))
        ]
        for block in plan.blocks {
            let entry = registry.entry(block.slot, block.name)
            let outputShape = block.slot == .timeEmbedding
                ? [batch, block.output.channels] : [batch, block.output.channels, block.output.height, block.output.width]
            let part: String
            if let level = block.level {
                part = "level \(level)"
            } else if block.slot == .timeEmbedding {
                part = "time"
            } else {
                part = block.path.hasPrefix("mid_") ? "middle" : "output"
            }
            modules.append(ModuleProfile(
                path: block.path, kind: "\(block.slot) \(block.name)", part: part, outputShape: outputShape,
                cost: entry?.cost?(block.context)))
        }
        modules.append(ModuleProfile(
            path: "final_conv.1", kind: "conv 1x1", part: "output", outputShape: [batch, spec.resolvedOutDim, height, width],
            cost: .conv2d(spec.dim, spec.resolvedOutDim, kernelSize: 1, outputHeight: height, outputWidth: width)))
        return UNetProfile(batch: batch, modules: modules)
    }
}
