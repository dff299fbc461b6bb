import Testing
import Torch
@testable import UNetZoo

@Suite struct RegistryTests {
    @Test func standardRegistryHoldsCatalogue() {
        let registry = BlockRegistry.standard

        #expect(registry.names(.block) == ["convnext", "resnet", "scale_shift_resnet"])
        #expect(registry.names(.attention) == ["dot_product", "linear", "none"])
        #expect(registry.names(.downsample) == ["avgpool", "conv", "pixel_unshuffle"])
        #expect(registry.names(.upsample) == ["nearest_conv", "pixel_shuffle", "transposed_conv"])
        #expect(registry.names(.timeEmbedding) == ["learned", "random_fourier", "sinusoidal"])
    }

    @Test func duplicateRegistrationNamesBothOrigins() throws {
        let registry = BlockRegistry()
        let entry = BlockEntry(name: "mylab.skip", slot: .attention, summary: "identity") { _ in Identity() }
        try registry.register(entry, file: "First.swift", line: 10)

        let error = #expect(throws: RegistryError.self) { try registry.register(entry, file: "Second.swift", line: 20) }

        #expect(error?.message == "the attention block 'mylab.skip' registered at Second.swift:20 is already registered at First.swift:10; pass replacing: true to replace it")
        try registry.register(entry, replacing: true)
    }

    @Test func invalidNamesAreRejected() {
        let registry = BlockRegistry()
        for name in ["", "Upper", "a.b.c", "has space", ".x"] {
            let entry = BlockEntry(name: name, slot: .block, summary: "") { _ in Identity() }
            #expect(throws: RegistryError.self) { try registry.register(entry) }
        }
    }

    @Test func customBlockBuildsFromSpec() throws {
        let registry = BlockRegistry()
        for entry in BlockRegistry.standard.entries {
            try registry.register(entry)
        }
        try registry.register(BlockEntry(name: "mylab.plain", slot: .attention, summary: "a 1x1 convolution") { context in
            PlainAttention(try Conv2d(context.inputChannels, context.inputChannels, kernelSize: 1))
        })
        let text = """
            image_size: 8
            channels: 1
            dim: 8
            dim_mults: [1, 2]
            resnet_block_groups: 2
            attention: mylab.plain
            """
        #expect(diagnostics(text).contains("unknown attention block 'mylab.plain'. Registered attention blocks: dot_product, linear, none."))
        let spec = try loadSpec(text, registry: registry)

        #expect(throws: SpecError.self) { try UNetBuilder().build(spec) }
        let model = try UNetBuilder(registry: registry).build(spec)

        #expect(model.namedParameters.contains { $0.name == "downs.0.2.weight" })
        #expect(try model(Tensor.randn([1, 1, 8, 8]), Tensor.randint(0, 5, shape: [1])).shape == [1, 1, 8, 8])
    }
}

private final class PlainAttention: UNetBlock {
    let conv: Conv2d
    init(_ conv: Conv2d) { self.conv = conv }
    func callAsFunction(_ x: Tensor, time: Tensor?) throws -> Tensor { try conv(x) }
    var namedParameters: [(name: String, tensor: Tensor)] { conv.namedParameters }
}
