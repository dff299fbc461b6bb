import Foundation
import Torch

/// Lays a batch of images out as one picture: a near-square grid with a 2-pixel black border.
public enum SampleGrid {
    public static let padding = 2

    /// Converts images (B, C, H, W) in [-1, 1] to 8-bit pixels, (x + 1) · 127.5 rounded, in a grid
    /// of ⌈√B⌉ columns.
    public static func image(from images: Tensor) throws -> PNGImage {
        let shape = images.shape
        precondition(shape.count == 4, "a sample grid needs a (B, C, H, W) batch")
        let (count, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        guard channels == 1 || channels == 3 else {
            throw TrainingError("a PNG grid needs 1 or 3 channels, found \(channels)")
        }
        let values = try images.contiguous().floats()
        let columns = Int(Double(count).squareRoot().rounded(.up))
        let rows = (count + columns - 1) / columns
        let gridWidth = columns * (width + padding) + padding
        let gridHeight = rows * (height + padding) + padding
        var pixels = [UInt8](repeating: 0, count: gridWidth * gridHeight * channels)
        for index in 0..<count {
            let top = padding + (index / columns) * (height + padding)
            let left = padding + (index % columns) * (width + padding)
            for channel in 0..<channels {
                for y in 0..<height {
                    for x in 0..<width {
                        let value = values[((index * channels + channel) * height + y) * width + x]
                        let byte = UInt8(((Swift.min(Swift.max(value, -1), 1) + 1) * 127.5).rounded())
                        pixels[((top + y) * gridWidth + left + x) * channels + channel] = byte
                    }
                }
            }
        }
        return PNGImage(width: gridWidth, height: gridHeight, channels: channels, pixels: pixels)
    }
}
