import Foundation
import Torch

/// A set of same-sized images kept as bytes, turned into [-1, 1] float batches on demand.
public struct ImageDataset: Sendable {
    public let count: Int
    public let channels: Int
    public let height: Int
    public let width: Int
    /// Pixels in NCHW order, 0...255.
    public let pixels: [UInt8]

    public init(count: Int, channels: Int, height: Int, width: Int, pixels: [UInt8]) {
        precondition(pixels.count == count * channels * height * width, "pixel buffer does not match its shape")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
    }

    /// The first `limit` images (all of them when there are fewer).
    public func prefix(_ limit: Int) -> ImageDataset {
        let kept = min(limit, count)
        let size = channels * height * width
        return ImageDataset(count: kept, channels: channels, height: height, width: width, pixels: Array(pixels[0..<(kept * size)]))
    }

    /// A float32 batch (B, C, H, W) of the images at `indices`, scaled from 0...255 to [-1, 1];
    /// images whose entry of `flips` is true are mirrored left to right.
    public func batch(indices: [Int], flips: [Bool] = [], device: Device = .cpu) throws -> Tensor {
        let size = channels * height * width
        var values = [Float](repeating: 0, count: indices.count * size)
        for (slot, index) in indices.enumerated() {
            let flip = slot < flips.count && flips[slot]
            let source = index * size
            let target = slot * size
            for row in 0..<(channels * height) {
                let rowStart = row * width
                for column in 0..<width {
                    let sourceColumn = flip ? width - 1 - column : column
                    let byte = pixels[source + rowStart + sourceColumn]
                    values[target + rowStart + column] = Float(byte) / 127.5 - 1
                }
            }
        }
        let batch = try Tensor(values, shape: [indices.count, channels, height, width])
        return device == .cpu ? batch : try batch.to(device: device)
    }

    /// The Fashion-MNIST training (60,000) or test (10,000) images, 1×28×28, from gzip IDX files.
    ///
    /// - Parameter directory: the folder holding `train-images-idx3-ubyte.gz` and
    ///   `t10k-images-idx3-ubyte.gz` (Debian's `dataset-fashion-mnist` installs them in
    ///   `/usr/share/datasets/fashion-mnist`).
    /// - Throws: `DataError` when a file is missing or corrupt, or is not a stack of images.
    public static func fashionMNIST(directory: String, split: DataSplit) throws -> ImageDataset {
        let name = split == .train ? "train-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte.gz"
        let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(path: path, "the Fashion-MNIST \(split.rawValue) images do not exist; install Debian's dataset-fashion-mnist package (scripts/setup.sh does) or set train.data_dir to the folder that holds \(name)")
        }
        let array = try IDXReader.read(path: path)
        guard array.shape.count == 3 else {
            throw DataError(path: path, "expected images of shape (count, rows, columns), found shape \(array.shape)")
        }
        return ImageDataset(count: array.shape[0], channels: 1, height: array.shape[1], width: array.shape[2], pixels: array.bytes)
    }

    /// Every `.png` file of a folder, in file-name order, converted to `channels` (1 gray, 3 RGB).
    ///
    /// - Throws: `DataError` when the folder is missing or holds no PNG, when a file cannot be
    ///   decoded, or when an image is not `height`×`width` (images are not resized).
    public static func pngFolder(path: String, channels: Int, height: Int, width: Int) throws -> ImageDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(path: path, "the image folder does not exist")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
            .filter { $0.lowercased().hasSuffix(".png") }
            .sorted()
        guard !names.isEmpty else {
            throw DataError(path: path, "the folder holds no .png files")
        }
        var pixels: [UInt8] = []
        pixels.reserveCapacity(names.count * channels * height * width)
        for name in names {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            let image = try PNGImage.read(path: file, channels: channels)
            guard image.height == height, image.width == width else {
                throw DataError(path: file, "expected a \(height)x\(width) image to match the spec's image_size, found \(image.height)x\(image.width); images are not resized")
            }
            pixels += image.planarPixels()
        }
        return ImageDataset(count: names.count, channels: channels, height: height, width: width, pixels: pixels)
    }
}

/// Which part of a data set to read.
public enum DataSplit: String, Sendable {
    case train
    case test
}
