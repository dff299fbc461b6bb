import Foundation

/// A position in a spec file: 1-based line and column, as editors and compilers count them.
public struct SourceLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found in a spec, pointing at the node at fault.
public struct Diagnostic: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The dotted key path of the offending value (`levels.2.groups`), empty for the whole file.
    public var path: String
    public var message: String

    public init(_ severity: Severity = .error, at location: SourceLocation, path: String, _ message: String) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
    }

    /// The one-line form: `file:line:col: error: key.path: message`.
    public var description: String {
        let prefix = path.isEmpty ? "" : "\(path): "
        return "\(location): \(severity.rawValue): \(prefix)\(message)"
    }

    /// The maximum number of characters of a source line that a rendered diagnostic shows.
    static let maxSourceWidth = 120

    /// The one-line form followed by the source line and a caret under the column, like a compiler.
    public func rendered(source: String?) -> String {
        rendered(lines: source.map { $0.split(separator: "\n", omittingEmptySubsequences: false) })
    }

    /// Renders like `rendered(source:)` from the source already split into lines, so that many
    /// diagnostics of one file split it once.
    func rendered(lines: [Substring]?) -> String {
        guard let lines, location.line >= 1, location.line <= lines.count else { return description }
        // Control characters (from binary files) would move a terminal's cursor, so they show as U+FFFD.
        var characters = Array(String(lines[location.line - 1]).unicodeScalars.map { scalar -> Character in
            if scalar == "\t" { return " " }
            return scalar.value < 0x20 || scalar.value == 0x7F ? "\u{FFFD}" : Character(scalar)
        })
        var column = max(0, location.column - 1)
        // A long line (minified or binary) is cut to a window around the column.
        if characters.count > Self.maxSourceWidth {
            let start = min(max(0, column - Self.maxSourceWidth / 2), characters.count - Self.maxSourceWidth)
            let end = start + Self.maxSourceWidth
            characters = (start > 0 ? Array("...") : []) + Array(characters[start..<end]) + (end < characters.count ? Array("...") : [])
            column = column - start + (start > 0 ? 3 : 0)
        }
        let caret = String(repeating: " ", count: column) + "^"
        return "\(description)\n\(String(characters))\n\(caret)"
    }
}

/// A spec that could not be loaded or is invalid, with every problem found.
public struct SpecError: Error, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// The text of each file involved, by path, for rendering source lines.
    public var sources: [String: String]

    public init(_ diagnostics: [Diagnostic], sources: [String: String] = [:]) {
        self.diagnostics = diagnostics
        self.sources = sources
    }

    /// Every diagnostic with its source line and caret, one after another.
    public var description: String {
        var lines: [String: [Substring]] = [:]
        return diagnostics.map { diagnostic in
            let file = diagnostic.location.file
            if lines[file] == nil, let source = sources[file] {
                lines[file] = source.split(separator: "\n", omittingEmptySubsequences: false)
            }
            return diagnostic.rendered(lines: lines[file])
        }.joined(separator: "\n")
    }
}
