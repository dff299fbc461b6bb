/// Structural checks of a decoded spec, analytic and without tensors: every problem at once.
public struct SpecValidator {
    public var registry: BlockRegistry

    public init(registry: BlockRegistry = .standard) {
        self.registry = registry
    }

    /// - Parameter locations: where each key path's value sits in the file, from the decoder.
    public func validate(_ spec: UNetSpec, locations: [String: SourceLocation]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let fallback = locations[""] ?? SourceLocation(file: "<spec>", line: 1, column: 1)

        func report(_ path: String, _ message: String) {
            let location = locations[path] ?? locations[path.split(separator: ".").first.map(String.init) ?? ""] ?? fallback
            let diagnostic = Diagnostic(at: location, path: path, message)
            if !diagnostics.contains(diagnostic) {
                diagnostics.append(diagnostic)
            }
        }

        diagnostics += imageSizeProblems(spec).map { Diagnostic(at: locations["image_size"] ?? fallback, path: "image_size", $0) }

        let plan = UNetPlan(spec: spec, registry: registry)
        unusedParameterProblems(plan).forEach { report($0.path, $0.message) }
        for block in plan.blocks {
            guard let entry = registry.entry(block.slot, block.name) else {
                report(block.nameKey, registry.unknownNameMessage(block.slot, block.name))
                continue
            }
            parameterProblems(block, entry).forEach { report($0.path, $0.message) }
            let place = block.level.map { "level \($0) (\(block.path))" } ?? block.path
            for problem in entry.check(block.context) {
                let key = problem.contains("groups") ? block.groupsKey : block.nameKey
                report(key, "\(place): \(problem)")
            }
            if block.output.channels != block.context.outputChannels {
                report(block.nameKey, "\(place): the \(block.slot) block '\(block.name)' outputs \(block.output.channels) channels where the U-Net needs \(block.context.outputChannels)")
            }
        }
        return diagnostics
    }

    /// Every halving of an n-level U-Net must see an even size, or the skip concatenation fails.
    func imageSizeProblems(_ spec: UNetSpec) -> [String] {
        let halvings = spec.dimMults.count - 1
        guard halvings > 0 else { return [] }
        let factor = 1 << halvings
        var problems: [String] = []
        for (axis, size) in [("height", spec.imageSize.height), ("width", spec.imageSize.width)] where size % factor != 0 {
            var current = size
            var level = 0
            while current % 2 == 0 {
                current /= 2
                level += 1
            }
            let lower = size / factor * factor
            let upper = lower + factor
            let suggestions = (lower > 0 ? [lower, upper] : [upper]).map(String.init).joined(separator: " or ")
            problems.append(
                "\(axis) \(size) is not divisible by \(factor): \(spec.dimMults.count) levels halve it \(halvings) times, and level \(level) gets the odd size \(current) that cannot be halved; nearest valid \(axis)s: \(suggestions)")
        }
        return problems
    }
}
