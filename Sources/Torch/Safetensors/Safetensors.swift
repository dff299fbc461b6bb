import Glibc

/// Reads and writes the safetensors format of Hugging Face: an 8-byte little-endian header length,
/// a JSON header mapping each tensor name to its dtype, shape and byte range, then the raw data.
///
/// Format reference: https://github.com/huggingface/safetensors (the README's "Format" section).
/// Tensors are stored row-major and little-endian.
///
/// NOTE: the raw bytes are copied as they are in memory, so reading and writing assume a
/// little-endian host (x86-64 and ARM64 are).
public enum Safetensors {
    /// Headers longer than this are rejected as corrupt, as the reference implementation does.
    public static let maximumHeaderLength = 100_000_000

    /// The format's dtype names and the dtypes they map to.
    static let dtypeNames: [(name: String, dtype: DType)] = [
        ("F32", .float32), ("F16", .float16), ("BF16", .bfloat16), ("F64", .float64),
        ("I64", .int64), ("I32", .int32), ("U8", .uint8), ("BOOL", .bool),
    ]

    /// Dtypes of the format that unetzoo does not read, so that messages can tell them from typos.
    static let unsupportedDTypeNames: Set<String> = [
        "I8", "I16", "U16", "U32", "U64", "C64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4",
    ]

    static func name(of dtype: DType) -> String {
        dtypeNames.first { $0.dtype == dtype }!.name
    }

    static func dtype(named name: String) -> DType? {
        dtypeNames.first { $0.name == name }?.dtype
    }

    /// Writes tensors and string metadata to a safetensors file.
    ///
    /// Writes atomically: the data goes to a temporary file in the same folder, which is flushed
    /// with `fsync` and then renamed over `path`, so readers see the old file or the whole new one.
    /// Tensors on a GPU are copied to the host first; data is written in the given order.
    ///
    /// - Throws: `SafetensorsError` for duplicate or reserved names and for file-system failures,
    ///   `TorchError` when a tensor cannot be copied to the host.
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String
    ) throws {
        let header = try headerBytes(tensors, metadata: metadata, path: path)
        var headerLength = UInt64(header.count).littleEndian
        let lengthField = withUnsafeBytes(of: &headerLength) { Array($0) }

        let file = try AtomicFile(path: path)
        do {
            try file.write(lengthField)
            try file.write(header)
            for (_, tensor) in tensors {
                try file.write(try tensor.rawBytes())
            }
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// The JSON header for `tensors` laid out back to back, padded with spaces so that the data
    /// section starts at a multiple of 8 bytes, as the reference writer does.
    static func headerBytes(
        _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String], path: String
    ) throws -> [UInt8] {
        var members: [(key: String, value: HeaderJSON)] = []
        if !metadata.isEmpty {
            let entries = metadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: HeaderJSON.string($0.value)) }
            members.append(("__metadata__", .object(entries)))
        }

        var seen = Set<String>()
        var offset = 0
        for (name, tensor) in tensors {
            guard name != "__metadata__" else {
                throw SafetensorsError(
                    path: path, message: "the tensor name \"__metadata__\" is reserved for the metadata map; rename the tensor")
            }
            guard seen.insert(name).inserted else {
                throw SafetensorsError(path: path, message: "two tensors are named \"\(name)\"; names must be unique")
            }
            let byteCount = tensor.count * tensor.dtype.byteSize
            let entry: [(key: String, value: HeaderJSON)] = [
                ("dtype", .string(Safetensors.name(of: tensor.dtype))),
                ("shape", .array(tensor.shape.map { .number(String($0)) })),
                ("data_offsets", .array([.number(String(offset)), .number(String(offset + byteCount))])),
            ]
            members.append((name, .object(entry)))
            offset += byteCount
        }

        var header = Array(HeaderJSON.object(members).serialized.utf8)
        while (8 + header.count) % 8 != 0 {
            header.append(UInt8(ascii: " "))
        }
        return header
    }

    /// Reads every tensor and the metadata of a safetensors file, validating the whole file first.
    ///
    /// Checks the header length against the file size, the header's JSON, every dtype, that each
    /// shape times its dtype size equals its byte range, that byte ranges lie inside the data
    /// section and do not overlap, and that `__metadata__` maps strings to strings. Gaps between
    /// byte ranges and data after the last one are allowed.
    ///
    /// - Returns: CPU tensors in header order, which do not require gradients.
    /// - Throws: `SafetensorsError` naming the first problem found.
    public static func read(path: String) throws -> SafetensorsFile {
        let bytes = try readWholeFile(path)
        let layout = try SafetensorsLayout(fileBytes: bytes, path: path)

        var tensors: [(name: String, tensor: Tensor)] = []
        tensors.reserveCapacity(layout.entries.count)
        try bytes.withUnsafeBytes { buffer in
            for entry in layout.entries {
                let start = layout.dataStart + entry.begin
                let slice = UnsafeRawBufferPointer(rebasing: buffer[start..<start + entry.byteCount])
                tensors.append((entry.name, try Tensor(bytes: slice, shape: entry.shape, dtype: entry.dtype)))
            }
        }
        return SafetensorsFile(tensors: tensors, metadata: layout.metadata, path: path)
    }

    /// The file's bytes, read with POSIX calls so that failures carry the system's reason.
    static func readWholeFile(_ path: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SafetensorsError(path: path, message: "failed to open the file: \(systemReason())")
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw SafetensorsError(path: path, message: "failed to read the file size: \(systemReason())")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw SafetensorsError(path: path, message: "not a regular file; expected a .safetensors file")
        }

        let size = Int(status.st_size)
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        let failure: String? = bytes.withUnsafeMutableBytes { buffer in
            while filled < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + filled, size - filled)
                if count < 0 {
                    if errno == EINTR { continue }
                    return systemReason()
                }
                if count == 0 {
                    return "the file shrank from \(size) to \(filled) bytes while it was read"
                }
                filled += count
            }
            return nil
        }
        if let failure {
            throw SafetensorsError(path: path, message: "failed to read the file: \(failure)")
        }
        return bytes
    }
}

/// The text of the current `errno`.
func systemReason() -> String {
    String(cString: strerror(errno))
}
