import Foundation
import Testing
import Torch
@testable import UNetZoo

/// The catalogue blocks against outputs of PyTorch modules written from the published definitions,
/// stored in Tests/Parity/catalogue_blocks_reference.json by Tests/Parity/catalogue_blocks.py.
@Suite struct CatalogueParityTests {
    struct Case: Decodable {
        var parameter_names: [String]
        var input_shape: [Int]
        var time_shape: [Int]
        var output_shape: [Int]
        var output: [Double]
    }

    struct Document: Decodable {
        var cases: [String: Case]
    }

    static func reference(_ name: String) throws -> Case {
        let url = packageRoot.appendingPathComponent("Tests/Parity/catalogue_blocks_reference.json")
        let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: url))
        return try #require(document.cases[name])
    }

    /// Element i of `count` values from `function`, as the generator fills them.
    static func filled(_ shape: [Int], _ function: (Double) -> Double) throws -> Tensor {
        let count = shape.reduce(1, *)
        return try Tensor((0..<count).map { Float(function(Double($0))) }, shape: shape)
    }

    /// Runs a block with the generator's weights and inputs and returns the largest difference from its output.
    static func maxDifference(_ block: UNetBlock, _ reference: Case) throws -> Double {
        let parameters = Dictionary(uniqueKeysWithValues: block.namedParameters.map { ($0.name, $0.tensor) })
        #expect(block.namedParameters.map(\.name) == reference.parameter_names)
        for (k, name) in reference.parameter_names.enumerated() {
            let parameter = try #require(parameters[name])
            try parameter.copy(from: filled(parameter.shape) { 0.1 * sin(0.37 * $0 + Double(k)) })
        }
        let x = try filled(reference.input_shape) { 0.5 * cos(0.11 * $0) }
        let time = try filled(reference.time_shape) { sin(0.23 * $0) }

        let output = try withoutGrad { try block(x, time: time) }

        #expect(output.shape == reference.output_shape)
        return zip(try output.floats(), reference.output).map { abs(Double($0) - $1) }.max() ?? .infinity
    }

    @Test func convnextMatchesPyTorch() throws {
        let block = try ConvNeXtBlock(8, 12, timeDim: 6, mult: 3)

        #expect(try Self.maxDifference(block, Self.reference("convnext")) < 1e-4)
    }

    @Test func convnextWithoutNormMatchesPyTorch() throws {
        let block = try ConvNeXtBlock(8, 8, timeDim: 6, norm: false)

        #expect(try Self.maxDifference(block, Self.reference("convnext_same_channels")) < 1e-4)
    }

    @Test func scaleShiftResnetMatchesPyTorch() throws {
        let block = try ScaleShiftResNetBlock(4, 8, timeDim: 6, groups: 2)

        #expect(try Self.maxDifference(block, Self.reference("scale_shift_resnet")) < 1e-4)
    }
}
