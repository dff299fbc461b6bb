import Foundation
import Testing
@testable import Torch

/// A fresh folder under the system's temporary directory, removed by the caller.
func makeTemporaryFolder() throws -> String {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("unetzoo-safetensors-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

/// Bytes of a safetensors file with the given header text and data section, written by hand.
func safetensorsBytes(header: String, data: [UInt8], declaredLength: UInt64? = nil) -> [UInt8] {
    let headerBytes = Array(header.utf8)
    let length = declaredLength ?? UInt64(headerBytes.count)
    let lengthField = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) }
    return lengthField + headerBytes + data
}

@Suite struct SafetensorsTests {
    // MARK: Round trips

    @Test func everyDTypeRoundTrips() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/all.safetensors"
        let source = try Tensor([1.5, -2.25, 3, 0.125, 1e-3, 65504] as [Float], shape: [2, 3])
        let tensors: [(name: String, tensor: Tensor)] = [
            ("f32", source),
            ("f16", try source.to(dtype: .float16)),
            ("bf16", try source.to(dtype: .bfloat16)),
            ("f64", try Tensor([1e-300, -7.5, 3.25] as [Double], shape: [3])),
            ("i64", try Tensor([Int64.min, -1, 0, Int64.max] as [Int64], shape: [2, 2])),
            ("i32", try Tensor([-5, 7, 2_000_000_000] as [Int64], shape: [3]).to(dtype: .int32)),
            ("u8", try Tensor([0, 1, 255] as [Int64], shape: [3]).to(dtype: .uint8)),
            ("bool", try Tensor([0, 1, 1, 0] as [Int64], shape: [4]).to(dtype: .bool)),
            ("scalar", try Tensor([42] as [Float], shape: [])),
            ("empty", try Tensor.zeros([0, 4])),
        ]

        try Safetensors.write(tensors, metadata: ["format": "pt", "note": "quote \" and \\ and\nnewline"], to: path)
        let file = try Safetensors.read(path: path)

        #expect(file.names == tensors.map(\.name))
        #expect(file.metadata == ["format": "pt", "note": "quote \" and \\ and\nnewline"])
        for (name, tensor) in tensors {
            let loaded = try #require(file[name])
            #expect(loaded.dtype == tensor.dtype, "dtype of \(name)")
            #expect(loaded.shape == tensor.shape, "shape of \(name)")
            #expect(try loaded.rawBytes() == tensor.rawBytes(), "bytes of \(name)")
        }
        #expect(try file["i64"]!.int64s() == [Int64.min, -1, 0, Int64.max])
        #expect(try file["bf16"]!.floats() == [1.5, -2.25, 3, 0.125, 0.00099945068359375, 65536])
    }

    @Test func headerMatchesReferenceLayout() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/layout.safetensors"

        try Safetensors.write(
            [("b", try Tensor([1, 2] as [Float], shape: [2])), ("a", try Tensor([3] as [Int64], shape: [1, 1]))],
            metadata: ["format": "pt"], to: path)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))

        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8
        let header = String(decoding: bytes[8..<8 + headerLength], as: UTF8.self)
        #expect(bytes[2..<8].allSatisfy { $0 == 0 })
        #expect((8 + headerLength) % 8 == 0)
        #expect(
            header.trimmingCharacters(in: .whitespaces)
                == #"{"__metadata__":{"format":"pt"},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
                + #""a":{"dtype":"I64","shape":[1,1],"data_offsets":[8,16]}}"#)
        #expect(bytes.count == 8 + headerLength + 16)
    }

    /// `Tests/Parity/data/safetensors_reference.safetensors`, written by the `safetensors` Python package.
    static let referencePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Parity/data/safetensors_reference.safetensors").path

    @Test func readsFileOfReferencePackage() throws {
        let file = try Safetensors.read(path: Self.referencePath)

        #expect(file.names == ["i64", "f64", "f32", "scalar", "i32", "bf16", "f16", "u8", "bool"])
        #expect(file.metadata == ["format": "pt", "source": "safetensors 0.8.0"])
        #expect(file["i64"]?.shape == [2, 2])
        #expect(try file["i64"]?.int64s() == [Int64.min, -1, 0, Int64.max])
        #expect(try file["f64"]?.doubles() == [1e-300, -7.5, 3.25])
        #expect(try file["f32"]?.floats() == [1.5, -2.25, 3, 0.125, 1e-3, 65504])
        #expect(file["scalar"]?.shape == [])
        #expect(try file["scalar"]?.item() == 42)
        #expect(file["i32"]?.dtype == .int32)
        #expect(try file["i32"]?.int64s() == [-5, 7, 2_000_000_000])
        #expect(file["bf16"]?.dtype == .bfloat16)
        #expect(try file["bf16"]?.floats() == [1.5, -2.25, 3, 0.125, 0.00099945068359375, 65536])
        #expect(file["f16"]?.dtype == .float16)
        #expect(try file["f16"]?.floats() == [1.5, -2.25, 3, 0.125, 0.0010004043579101562, 65504])
        #expect(try file["u8"]?.int64s() == [0, 1, 255])
        #expect(file["bool"]?.dtype == .bool)
        #expect(try file["bool"]?.int64s() == [0, 1, 1, 0])
    }

    @Test func writesSameBytesAsReferencePackage() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/rewritten.safetensors"
        let reference = try Safetensors.read(path: Self.referencePath)

        try Safetensors.write(reference.tensors, metadata: reference.metadata, to: path)

        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        let expected = try Data(contentsOf: URL(fileURLWithPath: Self.referencePath))
        #expect(written == expected)
    }

    @Test func writeReplacesFileAndLeavesNoTemporaryFile() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/weights.safetensors"

        try Safetensors.write([("x", try Tensor([1] as [Float], shape: [1]))], to: path)
        try Safetensors.write([("y", try Tensor([2, 3] as [Float], shape: [2]))], to: path)

        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["weights.safetensors"])
        #expect(try Safetensors.read(path: path).names == ["y"])
    }

    @Test func writeRejectsDuplicateAndReservedNames() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/bad.safetensors"
        let tensor = try Tensor([1] as [Float], shape: [1])

        let duplicate = #expect(throws: SafetensorsError.self) {
            try Safetensors.write([("x", tensor), ("x", tensor)], to: path)
        }
        let reserved = #expect(throws: SafetensorsError.self) {
            try Safetensors.write([("__metadata__", tensor)], to: path)
        }

        #expect(duplicate?.description == "\(path): two tensors are named \"x\"; names must be unique")
        #expect(
            reserved?.description
                == "\(path): the tensor name \"__metadata__\" is reserved for the metadata map; rename the tensor")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
    }

    @Test func writeIntoMissingFolderFails() throws {
        let error = #expect(throws: SafetensorsError.self) {
            try Safetensors.write([], to: "/nonexistent-unetzoo-folder/w.safetensors")
        }

        #expect(error?.message.hasPrefix("failed to create a temporary file in /nonexistent-unetzoo-folder: ") == true)
    }

    @Test func missingTensorListsAvailableNames() throws {
        let file = SafetensorsFile(
            tensors: [("init_conv.weight", try Tensor.zeros([1])), ("init_conv.bias", try Tensor.zeros([1]))],
            path: "w.safetensors")

        #expect(file["final_conv.1.weight"] == nil)
        let error = #expect(throws: SafetensorsError.self) { try file.tensor("final_conv.1.weight") }
        #expect(
            error?.description
                == "w.safetensors: no tensor named \"final_conv.1.weight\"; the file has init_conv.weight, init_conv.bias")
    }

    // MARK: Corrupt files

    /// Hand-made corrupt files and the whole message each must produce.
    static let corruptCases: [(name: String, bytes: [UInt8], message: String)] = {
        let valid = #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        let eightBytes = [UInt8](repeating: 0, count: 8)
        return [
            ("empty", [], "the file is 0 bytes long, shorter than the 8-byte header length; the file is truncated or not a safetensors file"),
            ("short", [1, 2, 3], "the file is 3 bytes long, shorter than the 8-byte header length; the file is truncated or not a safetensors file"),
            ("header longer than file", safetensorsBytes(header: valid, data: eightBytes, declaredLength: 1000),
             "the header length 1000 exceeds the 62 bytes that follow it; the file is truncated or not a safetensors file"),
            ("huge header length", safetensorsBytes(header: valid, data: eightBytes, declaredLength: UInt64.max),
             "the header length 18446744073709551615 exceeds the limit of 100000000 bytes; the file is corrupt or not a safetensors file"),
            ("header length cuts JSON", safetensorsBytes(header: valid, data: eightBytes, declaredLength: 20),
             "invalid JSON in the header at byte 20: unexpected end of the header, expected a string key"),
            ("truncated data", safetensorsBytes(header: valid, data: [0, 0, 0, 0]),
             "tensor \"x\": data_offsets [0, 8] end beyond the data section of 4 bytes; the file is truncated or corrupt"),
            ("not JSON", safetensorsBytes(header: "PK\u{3}\u{4}", data: []),
             "invalid JSON in the header at byte 0: unexpected character 'P', expected a JSON value"),
            ("trailing comma", safetensorsBytes(header: #"{"x":1,}"#, data: []),
             "invalid JSON in the header at byte 7: expected a string key in the JSON object"),
            ("header is an array", safetensorsBytes(header: "[]", data: []),
             "the header is an array, expected a JSON object that maps tensor names to entries"),
            ("duplicate tensor", safetensorsBytes(header: #"{"x":{},"x":{}}"#, data: []),
             "invalid JSON in the header at byte 8: duplicate key \"x\""),
            ("entry not an object", safetensorsBytes(header: #"{"x":[1]}"#, data: []),
             "tensor \"x\" is an array, expected an object with dtype, shape and data_offsets"),
            ("missing dtype", safetensorsBytes(header: #"{"x":{"shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\" has no dtype"),
            ("unknown key", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"strides":[1]}}"#, data: eightBytes),
             "tensor \"x\" has the unknown key \"strides\"; expected dtype, shape and data_offsets"),
            ("unknown dtype", safetensorsBytes(header: #"{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": unknown dtype \"F33\"; expected one of F32, F16, BF16, F64, I64, I32, U8, BOOL"),
            ("unsupported dtype", safetensorsBytes(header: #"{"x":{"dtype":"I8","shape":[8],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": dtype I8 is not supported; unetzoo reads F32, F16, BF16, F64, I64, I32, U8, BOOL"),
            ("dtype not a string", safetensorsBytes(header: #"{"x":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": dtype is the number 4, expected a string such as \"F32\""),
            ("wrong dtype size", safetensorsBytes(header: #"{"x":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": shape [2] of F64 needs 16 bytes, but data_offsets [0, 8] span 8"),
            ("negative size", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": shape contains the number -2, expected non-negative integers"),
            ("fractional size", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": shape contains the number 2.0, expected non-negative integers"),
            ("overflowing shape", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, data: eightBytes),
             "tensor \"x\": shape [4294967296, 4294967296] of F32 needs more than 9223372036854775807 bytes, but data_offsets [0, 8] span 8"),
            ("offsets not a pair", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}"#, data: eightBytes),
             "tensor \"x\": data_offsets is [0], expected [begin, end] with non-negative integers"),
            ("reversed offsets", safetensorsBytes(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, data: eightBytes),
             "tensor \"x\": data_offsets [8, 0] begin after they end"),
            ("overlapping offsets",
             safetensorsBytes(
                header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                data: [UInt8](repeating: 0, count: 12)),
             "tensors \"a\" and \"b\" overlap: data_offsets [0, 8] and [4, 12]"),
            ("boolean not 0 or 1", safetensorsBytes(header: #"{"x":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}"#, data: [1, 0, 7]),
             "tensor \"x\": BOOL element 2 is the byte 7, expected 0 or 1"),
            ("metadata not strings", safetensorsBytes(header: #"{"__metadata__":{"epoch":3}}"#, data: []),
             "__metadata__ value of \"epoch\" is the number 3, expected a string"),
            ("metadata not an object", safetensorsBytes(header: #"{"__metadata__":"pt"}"#, data: []),
             "__metadata__ is a string, expected a JSON object of string values"),
            ("invalid UTF-8 name", safetensorsBytes(header: "{\"\u{FF}\":{}}", data: []).map { $0 == 0xC3 ? 0xFF : $0 },
             "invalid JSON in the header at byte 1: string is not valid UTF-8"),
            ("deep nesting", safetensorsBytes(header: String(repeating: "[", count: 100_000), data: []),
             "invalid JSON in the header at byte 64: JSON nested deeper than 64 levels"),
        ]
    }()

    @Test(arguments: corruptCases.indices)
    func corruptFileIsRejectedWithMessage(index: Int) throws {
        let (name, bytes, message) = Self.corruptCases[index]
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/corrupt.safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: SafetensorsError.self, "case \(name)") { try Safetensors.read(path: path) }

        #expect(error?.description == "\(path): \(message)", "case \(name)")
    }

    @Test func everyTruncationOfValidFileIsRejected() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/whole.safetensors"
        try Safetensors.write(
            [("a", try Tensor([1, 2, 3] as [Float], shape: [3])), ("b", try Tensor([4] as [Int64], shape: [1]))],
            metadata: ["format": "pt"], to: path)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))

        for length in 0..<bytes.count {
            let truncatedPath = folder + "/truncated.safetensors"
            try Data(bytes[0..<length]).write(to: URL(fileURLWithPath: truncatedPath))
            #expect(throws: SafetensorsError.self, "length \(length)") { try Safetensors.read(path: truncatedPath) }
        }
    }

    @Test func gapsAndTrailingDataAreAccepted() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/gaps.safetensors"
        let data: [UInt8] = [9, 9, 9, 9, 0, 0, 128, 63, 7]
        let header = #"{"x":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}"#
        try Data(safetensorsBytes(header: header, data: data)).write(to: URL(fileURLWithPath: path))

        let file = try Safetensors.read(path: path)

        #expect(try file["x"]?.floats() == [1])
    }

    @Test func missingFileAndFolderAreReported() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let missing = #expect(throws: SafetensorsError.self) { try Safetensors.read(path: folder + "/none.safetensors") }
        let directory = #expect(throws: SafetensorsError.self) { try Safetensors.read(path: folder) }

        #expect(missing?.message == "failed to open the file: No such file or directory")
        #expect(directory?.message == "not a regular file; expected a .safetensors file")
    }
}
