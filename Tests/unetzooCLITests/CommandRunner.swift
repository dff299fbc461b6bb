import Foundation

/// The package root, found from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of the `unetzoo` executable printed and returned.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the `unetzoo` executable built beside the test bundle, with the package root as working directory.
func unetzoo(_ arguments: String...) throws -> CommandResult {
    let process = Process()
    process.executableURL = try unetzooExecutable()
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// The `unetzoo` executable built beside the test bundle.
func unetzooExecutable() throws -> URL {
    let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var directory = testBinary.deletingLastPathComponent()
    while !FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("unetzoo").path) {
        guard directory.path != "/" else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "unetzoo executable beside \(testBinary.path)"])
        }
        directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("unetzoo")
}

/// Writes `text` to a new temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "spec.yaml") throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}
