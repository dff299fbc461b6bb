import Foundation
import Testing
import Torch
@testable import UNetZoo

/// A new empty folder under the system temporary directory.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Gzip-compresses bytes with the system's gzip, the way data sets are shipped.
func gzip(_ bytes: [UInt8], to url: URL) throws {
    let plain = url.deletingPathExtension()
    try Data(bytes).write(to: plain)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-f", "-n", plain.path]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
}

/// An IDX header for unsigned bytes of `shape`.
func idxHeader(_ shape: [Int]) -> [UInt8] {
    [0, 0, 8, UInt8(shape.count)] + shape.flatMap { size in (0..<4).reversed().map { UInt8((size >> (8 * $0)) & 0xFF) } }
}

@Suite struct IDXReaderTests {
    @Test func readsGzipAndPlainFiles() throws {
        let folder = try temporaryFolder()
        let bytes = idxHeader([2, 2, 3]) + Array(1...12)
        try gzip(bytes, to: folder.appendingPathComponent("small.idx.gz"))
        try Data(bytes).write(to: folder.appendingPathComponent("plain.idx"))

        let compressed = try IDXReader.read(path: folder.appendingPathComponent("small.idx.gz").path)
        let plain = try IDXReader.read(path: folder.appendingPathComponent("plain.idx").path)

        #expect(compressed == IDXArray(shape: [2, 2, 3], bytes: Array(1...12)))
        #expect(plain == compressed)
    }

    @Test func missingFileIsClearError() {
        #expect(throws: DataError(path: "/nonexistent/images.gz", "the file does not exist")) {
            try IDXReader.read(path: "/nonexistent/images.gz")
        }
    }

    @Test func truncatedGzipIsClearError() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("cut.idx.gz")
        try gzip(idxHeader([100, 28, 28]) + [UInt8](repeating: 7, count: 100 * 784), to: url)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)

        let error = try #require(throws: DataError.self) { try IDXReader.read(path: url.path) }

        #expect(error.path == url.path)
        #expect(error.message.hasPrefix("the file ends early: expected 78400 elements of shape [100, 28, 28], found only"))
    }

    @Test func corruptGzipIsClearError() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("bad.idx.gz")
        try gzip(idxHeader([10, 28, 28]) + [UInt8](repeating: 3, count: 7840), to: url)
        var bytes = [UInt8](try Data(contentsOf: url))
        for index in 20..<min(40, bytes.count - 8) {
            bytes[index] ^= 0xA5
        }
        try Data(bytes).write(to: url)

        let error = try #require(throws: DataError.self) { try IDXReader.read(path: url.path) }

        #expect(error.message.hasPrefix("gzip data is corrupt: ") || error.message.hasPrefix("the file ends early"), "\(error)")
    }

    @Test func wrongMagicIsClearError() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("text.gz")
        try gzip(Array("hello world, not IDX".utf8), to: url)

        #expect(throws: DataError(path: url.path, "not an IDX file: expected the header to start with two zero bytes, found 0x68 0x65")) {
            try IDXReader.read(path: url.path)
        }
    }

    @Test func trailingBytesAreClearError() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("long.idx.gz")
        try gzip(idxHeader([2]) + [1, 2, 3], to: url)

        #expect(throws: DataError(path: url.path, "the file has bytes after the 2 elements its header declares; the file is corrupt")) {
            try IDXReader.read(path: url.path)
        }
    }

    @Test func unsupportedElementTypeIsClearError() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("float.idx")
        try Data([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]).write(to: url)

        #expect(throws: DataError(path: url.path, "unsupported IDX element type 0x0d; only unsigned bytes (0x08) are read")) {
            try IDXReader.read(path: url.path)
        }
    }
}

@Suite struct ImageDatasetTests {
    @Test func fashionMNISTHasReferenceSizes() throws {
        let test = try ImageDataset.fashionMNIST(directory: TrainSpec().dataDir, split: .test)

        #expect(test.count == 10_000)
        #expect(test.channels == 1)
        #expect(test.height == 28)
        #expect(test.width == 28)
        #expect(test.pixels.contains(255))
    }

    @Test func missingFashionMNISTNamesPackageAndSetting() throws {
        let folder = try temporaryFolder()

        let error = try #require(throws: DataError.self) { try ImageDataset.fashionMNIST(directory: folder.path, split: .train) }

        #expect(error.description == "\(folder.path)/train-images-idx3-ubyte.gz: the Fashion-MNIST train images do not exist; install Debian's dataset-fashion-mnist package (scripts/setup.sh does) or set train.data_dir to the folder that holds train-images-idx3-ubyte.gz")
    }

    @Test func batchScalesToUnitRangeAndFlips() throws {
        let dataset = ImageDataset(count: 2, channels: 1, height: 1, width: 3, pixels: [0, 255, 51, 10, 20, 30])

        let batch = try dataset.batch(indices: [1, 0], flips: [false, true])

        #expect(batch.shape == [2, 1, 1, 3])
        let expected: [Float] = [10, 20, 30, 51, 255, 0].map { Float($0) / 127.5 - 1 }
        #expect(try batch.floats() == expected)
    }
}

@Suite struct PNGImageTests {
    @Test func writeThenReadRoundTrips() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("rgb.png").path
        let image = PNGImage(width: 3, height: 2, channels: 3, pixels: Array(0..<18).map { UInt8($0 * 14) })

        try image.write(to: path)
        let read = try PNGImage.read(path: path, channels: 3)
        let gray = try PNGImage.read(path: path, channels: 1)

        #expect(read == image)
        #expect(gray.channels == 1)
        #expect(gray.pixels.count == 6)
        #expect(read.planarPixels()[0..<3] == [0, 42, 84])
    }

    @Test func corruptPNGIsClearError() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("broken.png").path
        try Data("not a png at all".utf8).write(to: URL(fileURLWithPath: path))

        let error = try #require(throws: DataError.self) { try PNGImage.read(path: path, channels: 1) }

        #expect(error.path == path)
        #expect(error.message.hasPrefix("not a readable PNG file: "))
    }

    @Test func folderLoadsInNameOrder() throws {
        let folder = try temporaryFolder()
        try PNGImage(width: 2, height: 2, channels: 1, pixels: [9, 9, 9, 9]).write(to: folder.appendingPathComponent("b.png").path)
        try PNGImage(width: 2, height: 2, channels: 1, pixels: [1, 2, 3, 4]).write(to: folder.appendingPathComponent("a.png").path)
        try Data("ignored".utf8).write(to: folder.appendingPathComponent("notes.txt"))

        let dataset = try ImageDataset.pngFolder(path: folder.path, channels: 1, height: 2, width: 2)

        #expect(dataset.count == 2)
        #expect(dataset.pixels == [1, 2, 3, 4, 9, 9, 9, 9])
    }

    @Test func folderImageOfWrongSizeIsClearError() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("wide.png").path
        try PNGImage(width: 3, height: 2, channels: 1, pixels: [UInt8](repeating: 5, count: 6)).write(to: path)

        #expect(throws: DataError(path: path, "expected a 2x2 image to match the spec's image_size, found 2x3; images are not resized")) {
            try ImageDataset.pngFolder(path: folder.path, channels: 1, height: 2, width: 2)
        }
    }

    @Test func emptyFolderIsClearError() throws {
        let folder = try temporaryFolder()

        #expect(throws: DataError(path: folder.path, "the folder holds no .png files")) {
            try ImageDataset.pngFolder(path: folder.path, channels: 1, height: 2, width: 2)
        }
    }
}

@Suite struct BatchSamplerTests {
    @Test func epochVisitsEveryImageOnce() {
        var sampler = BatchSampler(datasetCount: 10, batchSize: 5, seed: 3, horizontalFlips: false)

        let first = sampler.batch(step: 1).indices + sampler.batch(step: 2).indices

        #expect(first.sorted() == Array(0..<10))
        #expect(first != Array(0..<10))
    }

    @Test func batchDependsOnlyOnSeedAndStep() {
        var continuous = BatchSampler(datasetCount: 7, batchSize: 3, seed: 9, horizontalFlips: true)
        var resumed = BatchSampler(datasetCount: 7, batchSize: 3, seed: 9, horizontalFlips: true)
        var otherSeed = BatchSampler(datasetCount: 7, batchSize: 3, seed: 10, horizontalFlips: true)

        let batches = (1...6).map { continuous.batch(step: $0) }
        let fifth = resumed.batch(step: 5)

        #expect(fifth.indices == batches[4].indices)
        #expect(fifth.flips == batches[4].flips)
        #expect((1...6).map { otherSeed.batch(step: $0).indices } != batches.map(\.indices))
        #expect(batches.flatMap(\.flips).contains(true))
        #expect(batches.flatMap(\.flips).contains(false))
    }
}
