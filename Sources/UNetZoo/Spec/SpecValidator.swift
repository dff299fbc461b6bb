import Foundation

/// Structural checks of a decoded spec, analytic and without tensors: every problem at once.
public struct SpecValidator {
    /// Sizes above which a spec is rejected before anything is allocated.
    public struct Limits: Sendable {
        /// Parameters of the whole network (2e9 float32 weights are 8 GB before gradients and optimiser state).
        public var maxParameters: Double = 2e9
        /// Estimated activation bytes of one forward pass on one image.
        public var maxActivationBytes: Double = 64 * 1_073_741_824

        public init() {}
    }

    public var registry: BlockRegistry
    public var limits = Limits()

    public init(registry: BlockRegistry = .standard) {
        self.registry = registry
    }

    /// Returns every error and warning of `spec`.
    ///
    /// - Parameter locations: the location of each key path's value, from the decoder. A problem with
    ///   a default value is reported at its nearest given parent key, or else at the start of the file.
    public func validate(_ spec: UNetSpec, locations: [String: SourceLocation]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let fallback = locations[""] ?? SourceLocation(file: "<spec>", line: 1, column: 1)

        func report(_ path: String, _ message: String, _ severity: Diagnostic.Severity = .error) {
            let location = locations[path] ?? locations[path.split(separator: ".").first.map(String.init) ?? ""] ?? fallback
            let diagnostic = Diagnostic(severity, at: location, path: path, message)
            if !diagnostics.contains(diagnostic) {
                diagnostics.append(diagnostic)
            }
        }

        // A spec built in code skips the decoder's range checks. The plan could overflow without
        // them, so nothing else is checked when one fails.
        let rangeProblems = valueRangeProblems(spec)
        if !rangeProblems.isEmpty {
            for (path, problem) in rangeProblems {
                report(path, problem)
            }
            return diagnostics
        }

        let imageProblems = imageSizeProblems(spec, listForm: locations["image_size.0"] != nil)
        for (path, problem) in imageProblems {
            report(path, problem)
        }
        if spec.resolvedInitDim < 1 {
            report("dim", "init_dim defaults to dim // 3 * 2 = \(spec.resolvedInitDim), which leaves init_conv without channels; use a dim of at least 3 or give init_dim")
        }
        let timeProblem = timeEmbeddingWidthProblem(spec)
        if let timeProblem {
            report("dim", timeProblem)
        }

        // The same problem at several blocks (one group count too many for both residual blocks of
        // a level, say) is one diagnostic that names every block, in forward order.
        var blockProblems: [(key: String, problem: String, blocks: [PlannedBlock])] = []
        func blockProblem(_ key: String, _ problem: String, _ block: PlannedBlock) {
            if let index = blockProblems.firstIndex(where: { $0.key == key && $0.problem == problem }) {
                blockProblems[index].blocks.append(block)
            } else {
                blockProblems.append((key, problem, [block]))
            }
        }
        let plan = UNetPlan(spec: spec, registry: registry)
        unusedParameterWarnings(plan).forEach { report($0.path, $0.message, .warning) }
        for block in plan.blocks {
            guard let entry = registry.entry(block.slot, block.name) else {
                report(block.nameKey, registry.unknownNameMessage(block.slot, block.name))
                continue
            }
            parameterProblems(block, entry).forEach { report($0.path, $0.message) }
            if block.slot == .timeEmbedding && timeProblem != nil {
                continue
            }
            for problem in entry.check(block.context) {
                let key = givenParameterKey(of: problem, block) ?? (problem.contains("groups") ? block.groupsKey : block.nameKey)
                blockProblem(key, problem, block)
            }
            if block.output.channels != block.context.outputChannels {
                blockProblem(block.nameKey, "the \(block.slot) block '\(block.name)' outputs \(block.output.channels) channels where the U-Net needs \(block.context.outputChannels)", block)
            }
        }
        for (key, problem, blocks) in blockProblems {
            report(key, "\(placeText(blocks)): \(problem)")
        }
        if imageProblems.isEmpty {
            for (path, problem) in skipProblems(plan) {
                report(path, problem)
            }
        }
        for (path, problem) in sizeProblems(plan) {
            report(path, problem)
        }
        for (path, problem) in unusedKeyWarnings(spec, plan: plan, locations: locations) {
            report(path, problem, .warning)
        }
        return diagnostics
    }

    /// Returns an error for every block name the spec gives that the registry does not have, at the
    /// key that gives it. It needs no plan, so it also checks a spec whose required keys are missing.
    public func unknownNames(_ spec: UNetSpec, locations: [String: SourceLocation]) -> [Diagnostic] {
        var names: [(path: String, slot: BlockSlot, name: String)] = [
            ("block", .block, spec.block), ("attention", .attention, spec.attention),
            ("mid_attention", .attention, spec.midAttention), ("upsample", .upsample, spec.upsample),
        ]
        if spec.dimMults.count > 1 {
            names.append(("downsample", .downsample, spec.downsample))
        }
        if spec.withTimeEmb {
            names.append(("time_embedding", .timeEmbedding, spec.timeEmbedding))
        }
        for (index, level) in spec.levels.enumerated() {
            if let block = level.block {
                names.append(("levels.\(index).block", .block, block))
            }
            if let attention = level.attention {
                names.append(("levels.\(index).attention", .attention, attention))
            }
        }
        return names.compactMap { path, slot, name in
            guard let location = locations[path], registry.entry(slot, name) == nil else { return nil }
            return Diagnostic(at: location, path: path, registry.unknownNameMessage(slot, name))
        }
    }

    /// Checks that every size, count and multiplier is in `1...SpecDecoder.maxInteger` and that
    /// there are 1 to `SpecDecoder.maxLevels` levels, as the decoder does for a spec file.
    func valueRangeProblems(_ spec: UNetSpec) -> [(String, String)] {
        var values: [(String, Int?)] = [
            ("image_size.0", spec.imageSize.height), ("image_size.1", spec.imageSize.width), ("channels", spec.channels),
            ("dim", spec.dim), ("resnet_block_groups", spec.resnetBlockGroups), ("init_dim", spec.initDim),
            ("out_dim", spec.outDim), ("heads", spec.heads), ("dim_head", spec.dimHead),
        ]
        values += spec.dimMults.enumerated().map { ("dim_mults.\($0)", $1) }
        for (index, level) in spec.levels.enumerated() {
            values += [("levels.\(index).groups", level.groups), ("levels.\(index).heads", level.heads), ("levels.\(index).dim_head", level.dimHead)]
        }
        var problems: [(String, String)] = []
        if !(1...SpecDecoder.maxLevels).contains(spec.dimMults.count) {
            problems.append(("dim_mults", "expected 1 to \(SpecDecoder.maxLevels) levels, found \(spec.dimMults.count)"))
        }
        for case let (path, value?) in values where !(1...SpecDecoder.maxInteger).contains(value) {
            problems.append((path, "expected a positive integer of at most \(SpecDecoder.maxInteger), found \(value)"))
        }
        return problems
    }

    /// Returns the key path of the given block parameter that a check's problem names as a word
    /// (`mult` in "needs mult of at least 1"), or nil when it names none. The problem then points
    /// at the value at fault rather than at the block's name.
    /// NOTE: a check that describes a parameter without its name is still reported at the block's key.
    func givenParameterKey(of problem: String, _ block: PlannedBlock) -> String? {
        let words = Set(problem.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
        return block.givenParameters.first { words.contains($0.name) }?.keyPath
    }

    /// "level 1 (downs.1.0, downs.1.1), mid_block1": the blocks grouped by level, in the order given.
    func placeText(_ blocks: [PlannedBlock]) -> String {
        var parts: [(level: Int?, paths: [String])] = []
        for block in blocks {
            if let level = block.level, let index = parts.firstIndex(where: { $0.level == level }) {
                parts[index].paths.append(block.path)
            } else {
                parts.append((block.level, [block.path]))
            }
        }
        return parts.map { part in
            part.level.map { "level \($0) (\(part.paths.joined(separator: ", ")))" } ?? part.paths.joined(separator: ", ")
        }.joined(separator: ", ")
    }

    /// Every halving of an n-level U-Net must see an even size, or the skip concatenation fails.
    ///
    /// - Parameter listForm: true when the spec gave `[height, width]`, so each axis is reported at its entry.
    func imageSizeProblems(_ spec: UNetSpec, listForm: Bool) -> [(String, String)] {
        let halvings = spec.dimMults.count - 1
        guard halvings > 0 else { return [] }
        let factor = 1 << halvings
        let axes = listForm
            ? [("height", "image_size.0", spec.imageSize.height), ("width", "image_size.1", spec.imageSize.width)]
            : [("size", "image_size", spec.imageSize.height)]
        var problems: [(String, String)] = []
        for (axis, path, size) in axes where size % factor != 0 {
            var current = size
            var level = 0
            while current % 2 == 0 {
                current /= 2
                level += 1
            }
            let lower = size / factor * factor
            let upper = lower + factor
            let suggestions = (lower > 0 ? [lower, upper] : [upper]).map(String.init).joined(separator: " or ")
            problems.append((path,
                "\(axis) \(size) is not divisible by 2^\(halvings) = \(factor): \(spec.dimMults.count) levels halve it \(halvings) times, and level \(level) gets the odd size \(current) that cannot be halved; nearest valid \(axis)s: \(suggestions)"))
        }
        return problems
    }

    /// Checks the time feature width: the sinusoidal features need two halves of at least two frequencies each.
    func timeEmbeddingWidthProblem(_ spec: UNetSpec) -> String? {
        guard spec.withTimeEmb, spec.dim < 4 || spec.dim % 2 != 0 else { return nil }
        let lower = spec.dim / 2 * 2
        let suggestions = (lower >= 4 ? [lower, lower + 2] : [4]).map(String.init).joined(separator: " or ")
        return "the time embedding width is dim = \(spec.dim), but it must be even and at least 4 so that its sine and cosine halves are equal and the frequency spacing is defined; use dim \(suggestions), or with_time_emb: false"
    }

    /// Each up level concatenates its input with the skip of the same level, so both must have the
    /// same height and width, and the output must have the height and width of the input.
    func skipProblems(_ plan: UNetPlan) -> [(String, String)] {
        var problems: [(String, String)] = []
        var current: (channels: Int, height: Int, width: Int) = plan.middle.last?.output ?? (0, 0, 0)
        let levelCount = plan.downs.count
        for (index, stage) in plan.ups.enumerated() {
            let level = levelCount - 1 - index
            guard level >= 1, level < plan.downs.count, plan.downs[level].count > 2, let first = stage.first else { break }
            let skip = plan.downs[level][2]
            if skip.output.height != current.height || skip.output.width != current.width {
                problems.append(("downsample",
                    "level \(level) (\(first.path)): the skip from \(skip.path) is \(skip.output.height)x\(skip.output.width) but the features it is concatenated with are \(current.height)x\(current.width); the downsample and upsample blocks must halve and double height and width exactly"))
            }
            if first.context.inputChannels != current.channels + skip.output.channels {
                problems.append((first.nameKey,
                    "level \(level) (\(first.path)): takes \(first.context.inputChannels) channels but the concatenation gives \(current.channels) + \(skip.output.channels) from \(skip.path)"))
            }
            current = stage.last?.output ?? current
        }
        let output = plan.finalBlock.output
        if problems.isEmpty && (output.height != plan.spec.imageSize.height || output.width != plan.spec.imageSize.width) {
            problems.append(("downsample",
                "the network maps \(plan.spec.imageSize.height)x\(plan.spec.imageSize.width) images to \(output.height)x\(output.width) outputs; the downsample and upsample blocks must halve and double height and width exactly"))
        }
        return problems
    }

    /// Rejects a network whose analytic parameter count or activation estimate is absurd, before any allocation.
    func sizeProblems(_ plan: UNetPlan) -> [(String, String)] {
        var problems: [(String, String)] = []
        let parameters = estimatedParameterCount(plan)
        if parameters.isInfinite {
            problems.append(("dim",
                "the network would have more parameters than can be counted, far more than the limit of \(groupedDigits(limits.maxParameters)); reduce dim, dim_mults or the block parameters"))
        } else if parameters > limits.maxParameters {
            problems.append(("dim",
                "the network would have \(groupedDigits(parameters)) parameters (analytic count), \(byteText(parameters * 4)) of float32 weights, more than the limit of \(groupedDigits(limits.maxParameters)); reduce dim or dim_mults"))
        }
        let activations = estimatedActivationBytes(plan)
        if activations > limits.maxActivationBytes {
            problems.append(("image_size",
                "one forward pass on one image would need about \(byteText(activations)) of activations (analytic estimate), more than the limit of \(byteText(limits.maxActivationBytes)); reduce image_size or dim, or use linear attention at high resolutions"))
        }
        return problems
    }

    /// Keys a spec gives that no block uses, which usually means the spec says something it does not do.
    func unusedKeyWarnings(_ spec: UNetSpec, plan: UNetPlan, locations: [String: SourceLocation]) -> [(String, String)] {
        var warnings: [(String, String)] = []
        let attentionUsed = plan.blocks.contains { $0.slot == .attention && $0.name != "none" }
        for key in ["heads", "dim_head"] where locations[key] != nil && !attentionUsed {
            warnings.append((key, "has no effect because every attention block is 'none'"))
        }
        if !spec.withTimeEmb, locations["time_embedding"] != nil {
            warnings.append(("time_embedding", "has no effect because with_time_emb is false"))
        }
        return warnings
    }
}

/// Formats a count with thousands separators: 1234567.0 → "1,234,567".
func groupedDigits(_ value: Double) -> String {
    guard value < 1e18 else { return String(format: "%.3g", value) }
    let digits = Array(String(Int(value.rounded())))
    var text = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 {
            text.append(",")
        }
        text.append(digit)
    }
    return text
}

/// Formats a byte count in binary units: "8.0 GiB".
func byteText(_ bytes: Double) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
    var value = bytes
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
        value /= 1024
        unit += 1
    }
    return unit == 0 ? "\(Int(value)) bytes" : String(format: "%.1f %@", value, units[unit])
}
