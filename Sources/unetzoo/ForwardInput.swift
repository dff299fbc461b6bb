import Torch
import UNetZoo

/// The tensors of a forward input file, checked against the spec and moved to the device.
struct ForwardInput {
    let x: Tensor
    let t: Tensor
    let target: Tensor?

    init(path: String, spec: UNetSpec, device: Device) throws {
        let file = try Safetensors.read(path: path)
        func invalid(_ message: String) -> SafetensorsError {
            SafetensorsError(path: path, message: message)
        }

        let allowed = ["x", "t", "target"]
        if let unexpected = file.names.first(where: { !allowed.contains($0) }) {
            throw invalid("unexpected tensor \"\(unexpected)\"; the input holds x, t and optionally target")
        }
        for name in ["x", "t"] where file[name] == nil {
            throw invalid("missing tensor \"\(name)\"; the input needs x (float32, [B, C, H, W]) and t (int64, [B])")
        }
        let x = file["x"]!
        let t = file["t"]!

        let height = spec.imageSize.height
        let width = spec.imageSize.width
        guard x.dtype == .float32 else {
            throw invalid("x has dtype \(x.dtype), expected float32")
        }
        let shape = x.shape
        guard shape.count == 4, shape[0] > 0, shape[1] == spec.channels, shape[2] == height, shape[3] == width else {
            throw invalid(
                "x has shape \(shape), expected [B, \(spec.channels), \(height), \(width)] for spec \(spec.name) with B >= 1")
        }
        let batch = shape[0]
        guard t.dtype == .int64 else {
            throw invalid("t has dtype \(t.dtype), expected int64")
        }
        guard t.shape == [batch] else {
            throw invalid("t has shape \(t.shape), expected [\(batch)], one timestep per image of x")
        }

        var target: Tensor?
        if let given = file["target"] {
            let expected = [batch, spec.resolvedOutDim, height, width]
            guard given.dtype == .float32 else {
                throw invalid("target has dtype \(given.dtype), expected float32")
            }
            guard given.shape == expected else {
                throw invalid("target has shape \(given.shape), expected the output's shape \(expected)")
            }
            target = try given.to(dtype: .float32, device: device)
        }

        self.x = try x.to(dtype: .float32, device: device)
        self.t = try t.to(dtype: .int64, device: device)
        self.target = target
    }
}
