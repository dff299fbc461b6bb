/// An SVG picture of a planned U-Net: one box per down level (left) and up level (right) with
/// its resolution, channels, blocks and attention, the middle below, resampler arrows between
/// levels and dashed skip connections across.
///
/// Down level i and up level i sit on the same row. Level 0 has no up stage: its row on the right
/// is the output block, and its skip connection is never read, as in the reference U-Net.
public struct UNetDiagram {
    public var plan: UNetPlan
    public var profile: UNetProfile

    public init(plan: UNetPlan, registry: BlockRegistry = .standard) {
        self.plan = plan
        self.profile = Profiler.profile(plan, registry: registry)
    }

    static let boxWidth = 330
    static let boxHeight = 70
    static let rowHeight = 110
    static let leftX = 20
    static let rightX = 550
    static let topY = 130

    /// Returns the SVG document.
    public func svg() -> String {
        let spec = plan.spec
        let levelCount = plan.downs.count
        let width = Self.rightX + Self.boxWidth + 20
        let middleY = Self.topY + levelCount * Self.rowHeight
        let height = middleY + Self.boxHeight + 70
        var parts: [String] = []

        let totals = profile.total
        parts.append(text(20, 30, "\(spec.name): \(spec.imageSize) px, \(channels(spec.channels)), dim \(spec.dim), dim_mults \(spec.dimMults)", size: 16, bold: true))
        parts.append(text(20, 52, "\(grouped(totals.parameters)) parameters, \(grouped(totals.macs)) MACs per sample (analytic)", size: 13))
        parts.append(text(20, 74, "input: \(channels(spec.channels)), 7x7 conv to \(channels(spec.resolvedInitDim)) before down 0", size: 13))
        if let time = plan.timeEmbedding {
            parts.append(text(20, 96, "time embedding: \(time.name), width \(time.output.channels), fed to every residual block except the output block", size: 13))
        }

        let partCosts = Dictionary(profile.parts.map { ($0.part, $0.cost) }, uniquingKeysWith: { first, _ in first })
        for (level, stage) in plan.downs.enumerated() {
            let y = Self.topY + level * Self.rowHeight
            let first = stage[0]
            let attention = stage[plan.blocksPerLevel]
            let cost = partCosts["level \(level)"]?.parameters ?? 0
            parts.append(box(
                Self.leftX, y, fill: "#e8f0fe",
                lines: [
                    "down \(level): \(first.context.height)x\(first.context.width), \(channels(first.output.channels))",
                    "\(plan.blocksPerLevel) x \(first.name) (groups \(first.context.groups)), attention \(attention.name)",
                    "level \(level): \(grouped(cost)) parameters (down and up)",
                ]))
            if stage.count > plan.blocksPerLevel + 1, let downsample = stage.last {
                parts.append(arrow(Self.leftX + Self.boxWidth / 2, y + Self.boxHeight, Self.leftX + Self.boxWidth / 2, y + Self.rowHeight, label: "downsample \(downsample.name)"))
            }
        }

        // the middle sits below the last level, between the columns
        let middleX = (Self.leftX + Self.rightX) / 2
        let middle = plan.middle
        parts.append(box(
            middleX, middleY, fill: "#fdecea",
            lines: [
                "middle: \(middle[0].context.height)x\(middle[0].context.width), \(channels(middle[0].output.channels))",
                "\(middle[0].name), attention \(middle[1].name), \(middle[2].name)",
                "\(grouped(partCosts["middle"]?.parameters ?? 0)) parameters",
            ]))
        let lastDownY = Self.topY + (levelCount - 1) * Self.rowHeight
        parts.append(arrow(Self.leftX + Self.boxWidth / 2, lastDownY + Self.boxHeight, middleX + 40, middleY, label: ""))
        parts.append(arrow(middleX + Self.boxWidth - 40, middleY, Self.rightX + Self.boxWidth / 2, lastDownY + Self.boxHeight, label: ""))

        for stage in plan.ups {
            guard let level = stage.first?.level else { continue }
            let y = Self.topY + level * Self.rowHeight
            let first = stage[0]
            let attention = stage[plan.blocksPerLevel]
            let upsample = stage[stage.count - 1]
            parts.append(box(
                Self.rightX, y, fill: "#e6f4ea",
                lines: [
                    "up \(level): \(first.context.height)x\(first.context.width), \(first.context.inputChannels) -> \(channels(first.output.channels))",
                    "\(plan.blocksPerLevel) x \(first.name) (groups \(first.context.groups)), attention \(attention.name)",
                    "then upsample \(upsample.name) to \(upsample.output.height)x\(upsample.output.width)",
                ]))
            parts.append(arrow(Self.rightX + Self.boxWidth / 2, y, Self.rightX + Self.boxWidth / 2, y - Self.rowHeight + Self.boxHeight, label: "upsample \(upsample.name)"))
            parts.append(skip(y: y + Self.boxHeight / 2, label: "skip, \(channels(plan.downs[level][plan.blocksPerLevel].output.channels))"))
        }

        // level 0's row on the right: the output block and 1x1 convolution
        let final = plan.finalBlock
        parts.append(box(
            Self.rightX, Self.topY, fill: "#fef7e0",
            lines: [
                "output: \(final.context.height)x\(final.context.width), \(final.context.inputChannels) -> \(channels(final.output.channels))",
                "\(final.name) without time, then 1x1 conv",
                "to \(channels(spec.resolvedOutDim))",
            ]))
        parts.append(text(Self.leftX + Self.boxWidth + 20, Self.topY + Self.boxHeight / 2 + 4, "level 0 skip unused", size: 11, color: "#888888"))

        let header = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif">
            <defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#444444"/></marker></defs>
            <rect width="100%" height="100%" fill="white"/>
            """
        return ([header] + parts + ["</svg>"]).joined(separator: "\n") + "\n"
    }

    private func box(_ x: Int, _ y: Int, fill: String, lines: [String]) -> String {
        var elements = ["<rect x=\"\(x)\" y=\"\(y)\" width=\"\(Self.boxWidth)\" height=\"\(Self.boxHeight)\" rx=\"8\" fill=\"\(fill)\" stroke=\"#444444\"/>"]
        for (index, line) in lines.enumerated() {
            elements.append(text(x + 10, y + 20 + index * 19, line, size: 13, bold: index == 0))
        }
        return elements.joined(separator: "\n")
    }

    private func arrow(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, label: String) -> String {
        var elements = ["<line x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke=\"#444444\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>"]
        if !label.isEmpty {
            elements.append(text((x1 + x2) / 2 + 8, (y1 + y2) / 2 + 4, label, size: 11, color: "#444444"))
        }
        return elements.joined(separator: "\n")
    }

    private func skip(y: Int, label: String) -> String {
        let from = Self.leftX + Self.boxWidth
        let to = Self.rightX
        return [
            "<line x1=\"\(from)\" y1=\"\(y)\" x2=\"\(to)\" y2=\"\(y)\" stroke=\"#1a73e8\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" marker-end=\"url(#arrow)\"/>",
            text(from + 20, y - 6, label, size: 11, color: "#1a73e8"),
        ].joined(separator: "\n")
    }

    private func text(_ x: Int, _ y: Int, _ content: String, size: Int, bold: Bool = false, color: String = "#202124") -> String {
        let weight = bold ? " font-weight=\"bold\"" : ""
        return "<text x=\"\(x)\" y=\"\(y)\" font-size=\"\(size)\"\(weight) fill=\"\(color)\">\(escaped(content))</text>"
    }

    /// Replaces the characters that XML reserves with entities.
    private func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// "1 channel" or "N channels".
    private func channels(_ count: Int) -> String {
        count == 1 ? "1 channel" : "\(count) channels"
    }

    private func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 {
                result.append(",")
            }
            result.append(digit)
        }
        return result
    }
}
