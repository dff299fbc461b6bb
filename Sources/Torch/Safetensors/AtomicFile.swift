import Glibc

/// A file written under a temporary name in the destination's folder and renamed into place.
///
/// `commit()` flushes the data with `fsync` before the rename and syncs the folder after it, so
/// a crash leaves either the previous file or the complete new one, never a partial file.
final class AtomicFile {
    let path: String
    let temporaryPath: String
    private var descriptor: Int32

    /// Creates the temporary file next to `path`.
    init(path: String) throws {
        self.path = path
        let folder = AtomicFile.folder(of: path)
        let baseName = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        temporaryPath = "\(folder)/.\(baseName).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SafetensorsError(path: path, message: "failed to create a temporary file in \(folder): \(systemReason())")
        }
    }

    deinit {
        if descriptor >= 0 {
            close(descriptor)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        var written = 0
        let failure: String? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return systemReason()
                }
                written += count
            }
            return nil
        }
        if let failure {
            throw SafetensorsError(path: path, message: "failed to write \(temporaryPath): \(failure)")
        }
    }

    /// Flushes the temporary file and renames it over the destination.
    func commit() throws {
        guard fsync(descriptor) == 0 else {
            throw SafetensorsError(path: path, message: "failed to flush \(temporaryPath) to disk: \(systemReason())")
        }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else {
            throw SafetensorsError(path: path, message: "failed to rename \(temporaryPath) into place: \(systemReason())")
        }
        // The rename is durable only once the folder entry is on disk. A failed folder sync still
        // leaves a complete file in place, so it is not reported.
        let folderDescriptor = open(AtomicFile.folder(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    /// Closes and deletes the temporary file after a failure.
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }

    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
