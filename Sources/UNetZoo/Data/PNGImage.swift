import CPNG
import Foundation

/// An 8-bit gray or RGB image read from or written to a PNG file through libpng's simplified API.
///
/// The simplified API (libpng 1.6) reports errors through a message field instead of `longjmp`,
/// which Swift cannot call through.
public struct PNGImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    /// 1 (gray) or 3 (RGB).
    public var channels: Int
    /// Pixels row by row with the channels of a pixel together (HWC), as PNG stores them.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "PNGImage holds gray or RGB pixels")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match its shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The pixels channel by channel (CHW), the layout of tensors.
    public func planarPixels() -> [UInt8] {
        guard channels > 1 else { return pixels }
        var planar = [UInt8](repeating: 0, count: pixels.count)
        let area = width * height
        for position in 0..<area {
            for channel in 0..<channels {
                planar[channel * area + position] = pixels[position * channels + channel]
            }
        }
        return planar
    }

    /// Reads a PNG file of any colour type and bit depth, converted to `channels` (1 gray, 3 RGB).
    ///
    /// - Throws: `DataError` when the file is missing or libpng cannot decode it.
    public static func read(path: String, channels: Int) throws -> PNGImage {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(path: path, "the file does not exist")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            let message = libpngMessage(&image)
            png_image_free(&image)
            throw DataError(path: path, "not a readable PNG file: \(message)")
        }
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        let width = Int(image.width)
        let height = Int(image.height)
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * channels), nil)
        }
        guard finished != 0 else {
            let message = libpngMessage(&image)
            png_image_free(&image)
            throw DataError(path: path, "the PNG data is corrupt: \(message)")
        }
        return PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// Writes the image as an 8-bit PNG; the output depends only on the pixels, so equal images give equal files.
    ///
    /// - Throws: `DataError` when libpng cannot write the file.
    public func write(to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        let written = pixels.withUnsafeBytes { buffer in
            png_image_write_to_file(&image, path, 0, buffer.baseAddress, Int32(width * channels), nil)
        }
        guard written != 0 else {
            let message = Self.libpngMessage(&image)
            png_image_free(&image)
            throw DataError(path: path, "the PNG file cannot be written: \(message)")
        }
    }

    private static func libpngMessage(_ image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { bytes in
            let text = bytes.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }
}
