import Foundation

/// An error in registering or looking up a block.
public struct RegistryError: Error, CustomStringConvertible, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// The table from (slot, name) to registered block that specs are resolved against.
///
/// `BlockRegistry.standard` holds the reference blocks. Library users register their own blocks
/// on it (or on a copy) before loading specs that name them.
public final class BlockRegistry: @unchecked Sendable {
    private struct Registration {
        var entry: BlockEntry
        /// The registration site (`file:line`), to name both sides of a clash.
        var origin: String
    }

    private var table: [BlockSlot: [String: Registration]] = [:]
    private let lock = NSLock()

    public init() {}

    /// A registry holding the reference blocks and the catalogue of alternatives.
    public static let standard: BlockRegistry = {
        let registry = BlockRegistry()
        for entry in ReferenceBlocks.entries + CatalogueBlocks.entries {
            try! registry.register(entry)
        }
        return registry
    }()

    /// Adds an entry.
    ///
    /// - Parameter replacing: allows replacing an entry of the same slot and name.
    /// - Throws: `RegistryError` naming both registrations when the name is taken and `replacing` is false,
    ///   or when the name is not of the form `name` or `namespace.name` with lowercase letters, digits and `_`.
    public func register(_ entry: BlockEntry, replacing: Bool = false, file: String = #fileID, line: Int = #line) throws {
        let origin = "\(file):\(line)"
        guard Self.isValidName(entry.name) else {
            throw RegistryError("invalid block name '\(entry.name)' registered at \(origin): use lowercase letters, digits and '_', optionally namespaced as 'mylab.my_block'")
        }
        lock.lock()
        defer { lock.unlock() }
        if let existing = table[entry.slot]?[entry.name], !replacing {
            throw RegistryError("the \(entry.slot) block '\(entry.name)' registered at \(origin) is already registered at \(existing.origin); pass replacing: true to replace it")
        }
        table[entry.slot, default: [:]][entry.name] = Registration(entry: entry, origin: origin)
    }

    /// Returns the entry for a name, or nil.
    public func entry(_ slot: BlockSlot, _ name: String) -> BlockEntry? {
        lock.lock()
        defer { lock.unlock() }
        return table[slot]?[name]?.entry
    }

    /// Returns the registered names for a slot, sorted.
    public func names(_ slot: BlockSlot) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return (table[slot] ?? [:]).keys.sorted()
    }

    /// Every entry, sorted by slot then name.
    public var entries: [BlockEntry] {
        BlockSlot.allCases.flatMap { slot in names(slot).compactMap { entry(slot, $0) } }
    }

    /// Builds the message for a name that is not registered: the slot's registered names and the nearest match.
    public func unknownNameMessage(_ slot: BlockSlot, _ name: String) -> String {
        let known = names(slot)
        // The residual slot is itself named `block`, so its kind is not repeated.
        let kind = slot == .block ? "block" : "\(slot) block"
        var message = "unknown \(kind) '\(name)'"
        if let suggestion = nearestName(to: name, in: known) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += "."
        }
        return message + " Registered \(kind)s: \(known.joined(separator: ", "))."
    }

    static func isValidName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            guard let first = part.first, first.isLowercase || first == "_" else { return false }
            return part.allSatisfy { ($0.isLowercase && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "_" }
        }
    }
}
