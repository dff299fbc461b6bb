import Torch
import UNetZoo

/// A command line failure that is the user's to fix: printed with the command's usage, exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(_ message: String) {
        self.message = message
    }
}

/// A failure of a well-formed command, such as a device that is not there: printed alone, exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }

    init(_ message: String) {
        self.message = message
    }
}

/// A minimal parser for `--flag`, `--option value` and `--option=value` after a subcommand.
///
/// Options are declared up front, so an unknown or misspelled option is a usage error instead of
/// being taken for a positional argument.
struct Arguments {
    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - options: names (without `--`) that take a value; they may repeat.
    ///   - flags: names that take none.
    init(_ arguments: [String], options: [String], flags: [String]) throws {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument.hasPrefix("-") && argument.count > 1 && !onlyPositionals && argument != "-" {
                    throw UsageError("unknown option '\(argument)'")
                }
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flags.contains(name) {
                guard inlineValue == nil else { throw UsageError("option '--\(name)' takes no value") }
                self.flags.insert(name)
            } else if options.contains(name) {
                if let inlineValue {
                    values[name, default: []].append(inlineValue)
                } else {
                    guard index < arguments.count else { throw UsageError("option '--\(name)' needs a value") }
                    values[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                let hint = nearestName(to: name, in: options + flags).map { "; did you mean '--\($0)'?" } ?? ""
                throw UsageError("unknown option '--\(name)'\(hint)")
            }
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Returns the last value given for an option.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Returns every value given for a repeatable option, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Returns a positive integer option, or `defaultValue` when it is absent.
    func positiveInt(_ name: String, default defaultValue: Int) throws -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), number > 0 else {
            throw UsageError("option '--\(name)' expects a positive integer, got '\(text)'")
        }
        return number
    }

    /// Returns an integer option of 0 or more, or `defaultValue` when it is absent.
    func nonNegativeInt(_ name: String, default defaultValue: Int) throws -> Int {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), number >= 0 else {
            throw UsageError("option '--\(name)' expects an integer of 0 or more, got '\(text)'")
        }
        return number
    }

    /// Checks that exactly one positional argument was given.
    ///
    /// - Parameters:
    ///   - name: its placeholder in messages (`SPEC`).
    ///   - noun: how the count error names it (`SPEC`, `RUN folder`).
    func requireOnePositional(_ name: String, noun: String? = nil) throws {
        guard positionals.count == 1 else {
            if positionals.isEmpty {
                throw UsageError("missing \(name)")
            }
            throw UsageError("expected one \(noun ?? name), got \(positionals.count): \(positionals.joined(separator: " "))")
        }
    }

    /// Sets libtorch's CPU thread count when `--threads` was given.
    func applyThreadCount() throws {
        if value("threads") != nil {
            try Torch.setThreadCount(positiveInt("threads", default: 1))
        }
    }
}
