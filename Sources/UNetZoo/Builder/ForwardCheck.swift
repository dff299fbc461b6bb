import Foundation
import Torch

/// The result of one timed forward pass.
public struct ForwardResult: Sendable {
    public var inputShape: [Int]
    public var outputShape: [Int]
    public var seconds: Double
}

extension UNet {
    /// Runs one forward pass without gradients on N(0, 1) images and uniform integer timesteps in
    /// `0..<timesteps`, and times it (after a device synchronisation, so GPU timings are real).
    public func timedForward(batch: Int, timesteps: Int = 200, device: Device = .cpu) throws -> ForwardResult {
        let spec = plan.spec
        let inputShape = [batch, spec.channels, spec.imageSize.height, spec.imageSize.width]
        let x = try Tensor.randn(inputShape, device: device)
        let t = try Tensor.randint(0, timesteps, shape: [batch], device: device)

        try Torch.synchronize(device)
        let start = DispatchTime.now().uptimeNanoseconds
        let output = try withoutGrad { try self(x, t) }
        try Torch.synchronize(device)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9

        return ForwardResult(inputShape: inputShape, outputShape: output.shape, seconds: seconds)
    }
}
