import Testing
@testable import UNetZoo

/// The `train:` section: defaults, decoded values and diagnostics.
@Suite struct TrainSpecTests {
    static let network = """
        image_size: 28
        channels: 1
        dim: 28
        dim_mults: [1, 2, 4]
        resnet_block_groups: 4

        """

    @Test func defaultsApplyWithoutSection() throws {
        let spec = try loadSpec(Self.network)

        #expect(spec.train == TrainSpec())
        #expect(spec.train.timesteps == 200)
        #expect(spec.train.schedule == .linear)
        #expect(spec.train.prediction == .epsilon)
        #expect(spec.train.loss == .huber)
        #expect(spec.train.dataDir == "/usr/share/datasets/fashion-mnist")
    }

    @Test func sectionOverridesDefaults() throws {
        let spec = try loadSpec(Self.network + """
            train:
              steps: 50
              batch_size: 16
              learning_rate: 2e-4
              schedule: cosine
              timesteps: 1000
              prediction: v
              loss: l2
              horizontal_flip: true
              data: png_folder
              data_dir: /tmp/images
              ema_decay: 0.99
            """)

        var expected = TrainSpec()
        expected.steps = 50
        expected.batchSize = 16
        expected.learningRate = 2e-4
        expected.schedule = .cosine
        expected.timesteps = 1000
        expected.prediction = .v
        expected.loss = .l2
        expected.horizontalFlip = true
        expected.data = .pngFolder
        expected.dataDir = "/tmp/images"
        expected.emaDecay = 0.99
        #expect(spec.train == expected)
    }

    @Test func emptySectionKeepsDefaults() throws {
        let spec = try loadSpec(Self.network + "train:\n")

        #expect(spec.train == TrainSpec())
    }

    @Test func invalidValuesAreAllReported() {
        let text = Self.network + """
            train:
              stepz: 10
              schedule: cosin
              batch_size: 0
              ema_decay: 1.5
              learning_rate: fast
            """

        #expect(diagnostics(text) == """
            test.yaml:7:3: error: train.stepz: unknown key; did you mean 'steps'?
              stepz: 10
              ^
            test.yaml:8:13: error: train.schedule: expected one of linear, cosine, found the string "cosin"; did you mean 'cosine'?
              schedule: cosin
                        ^
            test.yaml:9:15: error: train.batch_size: expected a positive integer, found the integer 0
              batch_size: 0
                          ^
            test.yaml:10:14: error: train.ema_decay: expected a number in [0, 1), found the number 1.5
              ema_decay: 1.5
                         ^
            test.yaml:11:18: error: train.learning_rate: expected a finite number greater than 0, found the string "fast"
              learning_rate: fast
                             ^
            """)
    }

    @Test func sectionMustBeMapping() {
        #expect(diagnostics(Self.network + "train: [1, 2]\n") == """
            test.yaml:6:8: error: train: expected a mapping of training settings such as {steps: 1000}, found a list
            train: [1, 2]
                   ^
            """)
    }
}
