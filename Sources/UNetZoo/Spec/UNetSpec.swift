/// A U-Net variant as described by a spec file, with the reference's argument names.
///
/// Optional fields are nil when the spec leaves them to their default; the `resolved…` accessors
/// apply the defaults, which live here and nowhere else.
public struct UNetSpec: Equatable, Sendable {
    /// Height and width of the input images.
    public struct ImageSize: Equatable, Sendable, CustomStringConvertible {
        public var height: Int
        public var width: Int

        public init(height: Int, width: Int) {
            self.height = height
            self.width = width
        }

        public var description: String { height == width ? "\(height)" : "\(height)x\(width)" }
    }

    /// Per-level overrides of the network-wide block choices; nil keeps the network-wide value.
    public struct Level: Equatable, Sendable {
        public var block: String?
        public var attention: String?
        public var groups: Int?
        public var heads: Int?
        public var dimHead: Int?
        /// Block parameters for this level's blocks by slot key (`block`, `attention`), then by name.
        public var blockParameters: [String: [String: BlockParameterValue]] = [:]

        public init(block: String? = nil, attention: String? = nil, groups: Int? = nil, heads: Int? = nil, dimHead: Int? = nil) {
            self.block = block
            self.attention = attention
            self.groups = groups
            self.heads = heads
            self.dimHead = dimHead
        }
    }

    public var name: String
    public var imageSize: ImageSize
    public var channels: Int
    public var dim: Int
    public var dimMults: [Int]
    public var resnetBlockGroups: Int
    public var initDim: Int?
    public var outDim: Int?
    public var withTimeEmb: Bool
    public var block: String
    public var attention: String
    public var midAttention: String
    public var downsample: String
    public var upsample: String
    public var timeEmbedding: String
    public var heads: Int
    public var dimHead: Int
    /// One entry per entry of `dimMults`, or empty when no level overrides anything.
    public var levels: [Level]
    /// Residual blocks per down level; each up level has as many. The reference has 2.
    public var blocksPerLevel = 2
    /// Block parameters by slot key (`block`, `attention`, `mid_attention`, `downsample`, `upsample`,
    /// `time_embedding`), then by name. They configure the block that the network-wide key names,
    /// wherever it is used; a level that names another block takes only its own `levels.N.*_params`.
    public var blockParameters: [String: [String: BlockParameterValue]] = [:]
    /// Training settings from the `train:` section, with defaults for keys it leaves out.
    public var train = TrainSpec()

    public init(
        name: String = "unet", imageSize: ImageSize = ImageSize(height: 32, width: 32), channels: Int = 3,
        dim: Int = 64, dimMults: [Int] = [1, 2, 4, 8], resnetBlockGroups: Int = 8, initDim: Int? = nil,
        outDim: Int? = nil, withTimeEmb: Bool = true, block: String = "resnet", attention: String = "linear",
        midAttention: String = "dot_product", downsample: String = "conv", upsample: String = "transposed_conv",
        timeEmbedding: String = "sinusoidal", heads: Int = 4, dimHead: Int = 32, levels: [Level] = []
    ) {
        self.name = name
        self.imageSize = imageSize
        self.channels = channels
        self.dim = dim
        self.dimMults = dimMults
        self.resnetBlockGroups = resnetBlockGroups
        self.initDim = initDim
        self.outDim = outDim
        self.withTimeEmb = withTimeEmb
        self.block = block
        self.attention = attention
        self.midAttention = midAttention
        self.downsample = downsample
        self.upsample = upsample
        self.timeEmbedding = timeEmbedding
        self.heads = heads
        self.dimHead = dimHead
        self.levels = levels
    }

    /// `init_dim`, by default `dim // 3 * 2` as in the reference.
    public var resolvedInitDim: Int { initDim ?? dim / 3 * 2 }

    /// `out_dim`, by default `channels`.
    public var resolvedOutDim: Int { outDim ?? channels }

    /// `[init_dim, dim·m_1, ..., dim·m_n]`.
    public var dims: [Int] { [resolvedInitDim] + dimMults.map { dim * $0 } }

    /// The choices in force at level `index` once its overrides are applied.
    public func level(_ index: Int) -> Level {
        let override = index < levels.count ? levels[index] : Level()
        return Level(
            block: override.block ?? block,
            attention: override.attention ?? attention,
            groups: override.groups ?? resnetBlockGroups,
            heads: override.heads ?? heads,
            dimHead: override.dimHead ?? dimHead)
    }
}
