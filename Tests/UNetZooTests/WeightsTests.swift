import Foundation
import Testing
import Torch
@testable import UNetZoo

@Suite struct WeightsTests {
    static let tinySpec = UNetSpec(
        name: "tiny", imageSize: .init(height: 8, width: 8), channels: 1, dim: 8, dimMults: [1, 2], resnetBlockGroups: 2)

    func makeFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("unetzoo-weights-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func buildTiny(seed: UInt64) throws -> UNet {
        try Torch.manualSeed(seed)
        return try UNetBuilder().build(Self.tinySpec)
    }

    @Test func savedWeightsReproduceOutputs() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/tiny.safetensors"
        let source = try buildTiny(seed: 1)
        let target = try buildTiny(seed: 2)
        let x = try Tensor.randn([2, 1, 8, 8])
        let t = try Tensor([5, 90] as [Int64], shape: [2])

        try source.saveWeights(to: path, metadata: ["spec": "tiny"])
        try target.loadWeights(from: path)

        #expect(try target(x, t).floats() == source(x, t).floats())
        #expect(try Safetensors.read(path: path).metadata == ["spec": "tiny"])
        #expect(try Safetensors.read(path: path).names == source.namedParameters.map(\.name))
        #expect(target.namedParameters.allSatisfy { $0.tensor.requiresGrad })
    }

    @Test func missingAndUnexpectedNamesAreListed() throws {
        let model = try buildTiny(seed: 1)
        var tensors = model.namedParameters.filter { !$0.name.hasPrefix("final_conv.1.") }
        tensors.append(("final_conv.2.weight", try Tensor.zeros([1])))
        tensors.append(("ema.init_conv.weight", try Tensor.zeros([1])))
        let file = SafetensorsFile(tensors: tensors, path: "partial.safetensors")

        let error = #expect(throws: WeightsError.self) { try model.loadWeights(file) }

        #expect(
            error?.description == """
                partial.safetensors: the weights do not fit the model (2 problems):
                  missing 2 tensors: final_conv.1.weight, final_conv.1.bias
                  unexpected 2 tensors that the model does not have: final_conv.2.weight, ema.init_conv.weight
                """)
    }

    @Test func shapeAndDTypeMismatchesAreListed() throws {
        let model = try buildTiny(seed: 1)
        let tensors = try model.namedParameters.map { name, tensor in
            switch name {
            case "init_conv.weight": (name: name, tensor: try Tensor.zeros([4, 3, 7, 7]))
            case "init_conv.bias": (name: name, tensor: try tensor.to(dtype: .float16))
            default: (name: name, tensor: tensor)
            }
        }
        let file = SafetensorsFile(tensors: tensors, path: "mismatched.safetensors")

        let error = #expect(throws: WeightsError.self) { try model.loadWeights(file) }

        #expect(
            error?.description == """
                mismatched.safetensors: the weights do not fit the model (2 problems):
                  init_conv.weight: shape [4, 3, 7, 7] in the file, expected [4, 1, 7, 7]
                  init_conv.bias: dtype float16 in the file, expected float32; convert the file to float32
                """)
    }

    @Test func failedLoadChangesNoParameter() throws {
        let model = try buildTiny(seed: 1)
        let before = try model.namedParameters.map { try $0.tensor.floats() }
        let other = try buildTiny(seed: 2)
        let tensors = other.namedParameters.filter { $0.name != "mid_block2.block2.norm.bias" }

        #expect(throws: WeightsError.self) {
            try model.loadWeights(SafetensorsFile(tensors: tensors, path: "other.safetensors"))
        }

        #expect(try model.namedParameters.map { try $0.tensor.floats() } == before)
    }

    @Test func corruptWeightsFileIsSafetensorsError() throws {
        let folder = try makeFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/truncated.safetensors"
        let model = try buildTiny(seed: 1)
        try model.saveWeights(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 2).write(to: URL(fileURLWithPath: path))

        let error = #expect(throws: SafetensorsError.self) { try model.loadWeights(from: path) }

        #expect(error?.message.hasPrefix("tensor \"final_conv.1.bias\": data_offsets [") == true)
        #expect(error?.message.hasSuffix("the file is truncated or corrupt") == true)
    }
}
