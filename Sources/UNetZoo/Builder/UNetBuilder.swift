import Torch

/// Builds a `UNet` from a spec by looking every block up in a registry.
public struct UNetBuilder {
    public var registry: BlockRegistry
    public var device: Device

    public init(registry: BlockRegistry = .standard, device: Device = .cpu) {
        self.registry = registry
        self.device = device
    }

    /// Validates the spec, then allocates and initialises every layer (seed libtorch first for
    /// reproducible weights).
    ///
    /// - Throws: `SpecError` when the spec is structurally invalid (nothing is allocated then),
    ///   `TorchError` when libtorch fails.
    public func build(_ spec: UNetSpec) throws -> UNet {
        let diagnostics = SpecValidator(registry: registry).validate(spec, locations: [:])
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw SpecError(diagnostics)
        }

        let plan = UNetPlan(spec: spec, registry: registry, device: device)
        func make(_ block: PlannedBlock) throws -> UNetBlock {
            guard let entry = registry.entry(block.slot, block.name) else {
                throw RegistryError(registry.unknownNameMessage(block.slot, block.name))
            }
            return try entry.make(block.context)
        }

        let initConv = try Conv2d(spec.channels, spec.resolvedInitDim, kernelSize: 7, padding: 3, device: device)
        let timeEmbedding = try plan.timeEmbedding.map(make)
        let downs = try plan.downs.map { try $0.map(make) }
        let middle = try plan.middle.map(make)
        let ups = try plan.ups.map { try $0.map(make) }
        let finalBlock = try make(plan.finalBlock)
        let finalConv = try Conv2d(spec.dim, spec.resolvedOutDim, kernelSize: 1, device: device)
        return UNet(
            plan: plan, initConv: initConv, timeEmbedding: timeEmbedding, downs: downs, middle: middle, ups: ups,
            finalBlock: finalBlock, finalConv: finalConv)
    }
}
