import CZlib
import Foundation

/// An unsigned-byte array read from an IDX file, the format of MNIST and Fashion-MNIST.
public struct IDXArray: Equatable, Sendable {
    /// The sizes of the dimensions, outermost first (for images: count, rows, columns).
    public var shape: [Int]
    /// The elements in row-major order.
    public var bytes: [UInt8]
}

/// Reads IDX files of unsigned bytes, gzip-compressed (`.gz`) or plain, through zlib.
///
/// The layout (LeCun et al., "The MNIST database"): two zero bytes, the element type (0x08 for
/// unsigned bytes), the number of dimensions, one big-endian 32-bit size per dimension, then the
/// elements in row-major order. zlib reads plain files unchanged, so both forms go through one path.
public enum IDXReader {
    /// The largest element count accepted, so that a corrupt header cannot ask for an absurd allocation.
    public static let maxElements = 1 << 31

    /// Reads the whole file.
    ///
    /// - Throws: `DataError` when the file is missing, is not valid gzip, is truncated, has trailing
    ///   bytes, or has a header that is not an unsigned-byte IDX header.
    public static func read(path: String) throws -> IDXArray {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(path: path, "the file does not exist")
        }
        guard let file = gzopen(path, "rb") else {
            throw DataError(path: path, "the file cannot be opened for reading")
        }
        defer { gzclose(file) }

        let magic = try readExactly(4, from: file, path: path, what: "the IDX header")
        guard magic[0] == 0, magic[1] == 0 else {
            throw DataError(path: path, "not an IDX file: expected the header to start with two zero bytes, found \(hex(magic[0])) \(hex(magic[1]))")
        }
        guard magic[2] == 0x08 else {
            throw DataError(path: path, "unsupported IDX element type \(hex(magic[2])); only unsigned bytes (0x08) are read")
        }
        let rank = Int(magic[3])
        guard rank > 0 else {
            throw DataError(path: path, "the IDX header declares 0 dimensions")
        }

        let sizeBytes = try readExactly(4 * rank, from: file, path: path, what: "the IDX dimension sizes")
        var shape: [Int] = []
        var count = 1
        for index in 0..<rank {
            let size = sizeBytes[(4 * index)..<(4 * index + 4)].reduce(0) { $0 << 8 | Int($1) }
            shape.append(size)
            count *= size
            guard count <= maxElements else {
                throw DataError(path: path, "the IDX header declares more than \(maxElements) elements (shape \(shape)...); the file is corrupt")
            }
        }

        let elements = try readExactly(count, from: file, path: path, what: "\(count) elements of shape \(shape)")
        var extra: UInt8 = 0
        let more = gzread(file, &extra, 1)
        if more > 0 {
            throw DataError(path: path, "the file has bytes after the \(count) elements its header declares; the file is corrupt")
        }
        if more < 0 {
            throw DataError(path: path, "gzip data is corrupt: \(zlibMessage(file))")
        }
        return IDXArray(shape: shape, bytes: elements)
    }

    private static func readExactly(_ count: Int, from file: gzFile, path: String, what: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let chunk = UInt32(min(count - filled, 1 << 30))
            let read = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + filled, chunk) }
            if read < 0 {
                throw DataError(path: path, "gzip data is corrupt: \(zlibMessage(file))")
            }
            if read == 0 {
                let reason = gzMessageIfAny(file).map { " (\($0))" } ?? ""
                throw DataError(path: path, "the file ends early: expected \(what), found only \(filled) of \(count) bytes\(reason)")
            }
            filled += Int(read)
        }
        return buffer
    }

    private static func zlibMessage(_ file: gzFile) -> String {
        gzMessageIfAny(file) ?? "unknown zlib error"
    }

    private static func gzMessageIfAny(_ file: gzFile) -> String? {
        var code: Int32 = 0
        guard let text = gzerror(file, &code), code != Z_OK else { return nil }
        return String(cString: text)
    }

    private static func hex(_ byte: UInt8) -> String {
        "0x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
