extension SpecValidator {
    /// Checks the block parameters a spec sets for one planned block against the entry's schema.
    /// Returns each problem with the key path that sets the parameter.
    func parameterProblems(_ block: PlannedBlock, _ entry: BlockEntry) -> [(path: String, message: String)] {
        var problems: [(path: String, message: String)] = []
        let known = entry.parameters.map(\.name)
        for setting in block.givenParameters {
            guard let parameter = entry.parameter(named: setting.name) else {
                var message = "the \(block.slot) '\(entry.name)' has no parameter '\(setting.name)'"
                if known.isEmpty {
                    message += "; it takes none"
                } else if let suggestion = nearestName(to: setting.name, in: known) {
                    message += "; did you mean '\(suggestion)'? Its parameters: \(known.joined(separator: ", "))"
                } else {
                    message += "; its parameters: \(known.joined(separator: ", "))"
                }
                problems.append((setting.keyPath, message))
                continue
            }
            if parameter.accepting(setting.value) == nil {
                problems.append((setting.keyPath, "expected \(parameter.kind.article) for '\(parameter.name)' of the \(block.slot) '\(entry.name)', found \(setting.value.typeDescription)"))
            }
        }
        return problems
    }
}

extension SpecValidator {
    /// Returns a warning for every block parameter the spec sets that reaches no block, with its key path.
    /// Such a setting is for a time embedding the network does not have, for a downsample of a
    /// one-level network, or for a network-wide block that every level replaces. These are warnings,
    /// because a setting inherited from a base spec is harmless where its block does not exist.
    func unusedParameterWarnings(_ plan: UNetPlan) -> [(path: String, message: String)] {
        let used = Set(plan.blocks.flatMap { $0.givenParameters.map(\.keyPath) })
        var settings: [String] = []
        for (slotKey, values) in plan.spec.blockParameters {
            settings += values.keys.map { "\(slotKey)_params.\($0)" }
        }
        for (level, override) in plan.spec.levels.enumerated() {
            for (slotKey, values) in override.blockParameters {
                settings += values.keys.map { "levels.\(level).\(slotKey)_params.\($0)" }
            }
        }
        return settings.sorted().filter { !used.contains($0) }.map { path in
            let reason: String
            if path.hasPrefix("time_embedding_params.") {
                reason = "with_time_emb is false, so the network has no time embedding"
            } else if path.hasPrefix("downsample_params.") {
                reason = "a network with one level has no downsample"
            } else {
                reason = "every level names its own block for this key"
            }
            let mapping = path.split(separator: ".").dropLast().joined(separator: ".")
            return (path, "the setting reaches no block, because \(reason); remove it, or set \(mapping): null to clear inherited settings")
        }
    }
}

extension BlockParameter.Kind {
    /// The kind with its article, as messages use it (`an integer`).
    var article: String {
        switch self {
        case .int: return "an integer"
        case .float: return "a number"
        case .bool: return "true or false"
        case .string: return "a name"
        }
    }
}

extension BlockParameterValue {
    /// The value with its type, as messages use it (`the integer 2`).
    var typeDescription: String {
        switch self {
        case .int(let value): return "the integer \(value)"
        case .float(let value): return "the number \(value)"
        case .bool(let value): return "the boolean \(value)"
        case .string(let value): return "the string \"\(value)\""
        }
    }
}
