import Testing
@testable import Torch

/// Failures inside libtorch must reach Swift as `TorchError` with libtorch's own message.
@Suite struct ShimErrorTests {
    @Test func convolutionWithWrongChannelsThrows() throws {
        let conv = try Conv2d(3, 8, kernelSize: 3, padding: 1)
        let input = try Tensor.zeros([1, 4, 8, 8])

        let error = #expect(throws: TorchError.self) { try conv(input) }

        #expect(error?.operation == "conv2d")
        #expect(error?.message == "Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead")
    }

    @Test func catOfMismatchedShapesThrows() throws {
        let a = try Tensor.zeros([2, 3])
        let b = try Tensor.zeros([4, 5])

        let error = #expect(throws: TorchError.self) { try Tensor.cat([a, b], dim: 0) }

        #expect(error?.operation == "cat")
        #expect(error?.message.contains("Sizes of tensors must match except in dimension 0") == true)
    }

    @Test func invalidReshapeNamesBothSizes() throws {
        let tensor = try Tensor.zeros([2, 3])

        let error = #expect(throws: TorchError.self) { try tensor.reshaped([4, 2]) }

        #expect(error?.description == "reshape: shape '[4, 2]' is invalid for input of size 6")
    }

    @Test func errorDoesNotLeakIntoNextCall() throws {
        let tensor = try Tensor.zeros([2, 3])
        _ = try? tensor.reshaped([5])

        let reshaped = try tensor.reshaped([3, 2])

        #expect(reshaped.shape == [3, 2])
    }

    @Test func wrongByteCountIsRejected() throws {
        let bytes: [UInt8] = [0, 0, 0]
        let error = #expect(throws: TorchError.self) {
            try bytes.withUnsafeBytes { try Tensor(bytes: $0, shape: [1], dtype: .float32) }
        }
        #expect(error?.description == "from_data: the shape needs 4 bytes, got 3")
    }

    @Test func groupNormRejectsIndivisibleChannels() throws {
        let error = #expect(throws: TorchError.self) { try GroupNorm(groups: 8, channels: 28) }
        #expect(error?.description == "GroupNorm: 28 channels are not divisible by 8 groups; groups that divide 28: 1, 2, 4, 7, 14, 28")
    }
}
