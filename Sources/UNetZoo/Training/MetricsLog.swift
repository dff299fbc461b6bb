import Foundation

/// `metrics.jsonl`: one JSON object per line, each with an integer `step`.
///
/// Values are written in a fixed key order so that lines of two runs compare as text.
public final class MetricsLog {
    public let path: String
    private let handle: FileHandle

    /// Opens the log for appending; with `keepingThrough`, lines of later steps are dropped first,
    /// which is what a run resumed from that step would write again.
    public init(path: String, keepingThrough lastStep: Int? = nil) throws {
        self.path = path
        let manager = FileManager.default
        if let lastStep, manager.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let kept = text.split(separator: "\n").filter { line in
                guard let step = Self.step(of: String(line)) else { return false }
                return step <= lastStep
            }
            try Data(kept.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path))
        } else if lastStep == nil || !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil) else {
                throw TrainingError("cannot create \(path); check that the run folder is writable")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw TrainingError("cannot open \(path) for writing")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit {
        try? handle.close()
    }

    /// Appends one line; `fields` keep their order after `step`.
    public func append(step: Int, _ fields: [(String, MetricValue)]) {
        let body = ([("step", MetricValue.int(step))] + fields)
            .map { "\"\($0.0)\": \($0.1.json)" }
            .joined(separator: ", ")
        handle.write(Data("{\(body)}\n".utf8))
    }

    /// Every line of a log, parsed; lines that are not JSON objects with a `step` are skipped.
    public static func read(path: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["step"] is Int else { return nil }
            return object
        }
    }

    private static func step(of line: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object["step"] as? Int
    }
}

/// A number or a list of numbers in a metrics line.
public enum MetricValue {
    case int(Int)
    case double(Double)
    case doubles([Double])

    var json: String {
        switch self {
        case .int(let value): "\(value)"
        case .double(let value): Self.number(value)
        case .doubles(let values): "[" + values.map(Self.number).joined(separator: ", ") + "]"
        }
    }

    /// JSON has no NaN or infinity, so those become null.
    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }
}
