import Torch

/// A built U-Net: the blocks of a `UNetPlan` with their weights, and the reference forward pass.
///
/// Input `x` is (B, channels, H, W) and `t` holds B integer timesteps; the output is
/// (B, out_dim, H, W). Parameter names follow the reference PyTorch module tree.
public final class UNet: Module {
    public let plan: UNetPlan
    public let initConv: Conv2d
    public let timeEmbedding: UNetBlock?
    /// Per level: `plan.blocksPerLevel` residual blocks, attention, and a downsample except on the last level.
    public let downs: [[UNetBlock]]
    /// Residual block, attention, residual block.
    public let middle: [UNetBlock]
    /// Per up level: `plan.blocksPerLevel` residual blocks, attention, upsample.
    public let ups: [[UNetBlock]]
    public let finalBlock: UNetBlock
    public let finalConv: Conv2d

    init(
        plan: UNetPlan, initConv: Conv2d, timeEmbedding: UNetBlock?, downs: [[UNetBlock]], middle: [UNetBlock],
        ups: [[UNetBlock]], finalBlock: UNetBlock, finalConv: Conv2d
    ) {
        self.plan = plan
        self.initConv = initConv
        self.timeEmbedding = timeEmbedding
        self.downs = downs
        self.middle = middle
        self.ups = ups
        self.finalBlock = finalBlock
        self.finalConv = finalConv
    }

    /// Predicts from noisy images `x` (B, C, H, W) at integer timesteps `t` (B).
    public func callAsFunction(_ x: Tensor, _ t: Tensor) throws -> Tensor {
        var h = try initConv(x)
        let time = try timeEmbedding?(t, time: nil)

        // down: keep each level's attention output for the skip connections
        var skips: [Tensor] = []
        let attentionIndex = plan.blocksPerLevel
        for stage in downs {
            for block in stage[...attentionIndex] {
                h = try block(h, time: time)
            }
            skips.append(h)
            if stage.count > attentionIndex + 1 {
                h = try stage[attentionIndex + 1](h, time: time)
            }
        }

        for block in middle {
            h = try block(h, time: time)
        }

        // up: the skip goes after h on the channel axis; the first level's skip stays unused
        for stage in ups {
            h = try Tensor.cat([h, skips.removeLast()], dim: 1)
            for block in stage {
                h = try block(h, time: time)
            }
        }

        return try finalConv(finalBlock(h, time: nil))
    }

    public var namedParameters: [(name: String, tensor: Tensor)] {
        var children: [(String, Module?)] = [("init_conv", initConv), ("time_mlp", timeEmbedding)]
        for (index, stage) in downs.enumerated() {
            children += stage.enumerated().map { ("downs.\(index).\($0)", $1) }
        }
        children += [("mid_block1", middle[0]), ("mid_attn", middle[1]), ("mid_block2", middle[2])]
        for (index, stage) in ups.enumerated() {
            children += stage.enumerated().map { ("ups.\(index).\($0)", $1) }
        }
        children += [("final_conv.0", finalBlock), ("final_conv.1", finalConv)]
        return childParameters(children)
    }

    /// One row per module in forward order, with its output shape for a batch and its parameter count.
    public func summary(batch: Int) -> [ModuleSummary] {
        let spec = plan.spec
        let height = spec.imageSize.height
        let width = spec.imageSize.width
        var rows = [ModuleSummary(path: "init_conv", kind: "conv 7x7", outputShape: [batch, spec.resolvedInitDim, height, width], parameters: initConv.parameterCount)]
        if let timeEmbedding, let planned = plan.timeEmbedding {
            rows.append(ModuleSummary(path: planned.path, kind: "time_embedding \(planned.name)", outputShape: [batch, planned.output.channels], parameters: timeEmbedding.parameterCount))
        }
        let planned = plan.downs.flatMap { $0 } + plan.middle + plan.ups.flatMap { $0 } + [plan.finalBlock]
        let built = downs.flatMap { $0 } + middle + ups.flatMap { $0 } + [finalBlock]
        for (block, module) in zip(planned, built) {
            let shape = [batch, block.output.channels, block.output.height, block.output.width]
            rows.append(ModuleSummary(path: block.path, kind: "\(block.slot) \(block.name)", outputShape: shape, parameters: module.parameterCount))
        }
        rows.append(ModuleSummary(path: "final_conv.1", kind: "conv 1x1", outputShape: [batch, spec.resolvedOutDim, height, width], parameters: finalConv.parameterCount))
        return rows
    }
}

/// One row of a network summary.
public struct ModuleSummary: Equatable, Sendable {
    public var path: String
    /// The slot and registered name (`block resnet`), or the fixed layer (`conv 7x7`).
    public var kind: String
    public var outputShape: [Int]
    public var parameters: Int
}
