// swift-tools-version:6.0
//
// An example of extending unetzoo from another package: it registers its own block, with a
// parameter schema and an analytic cost, and builds a spec that uses it.
// Build and run from this folder with `swift run CustomBlock`.

import PackageDescription

let package = Package(
    name: "CustomBlock",
    dependencies: [
        // A local path dependency, because SwiftPM accepts the unsafe flags that unetzoo uses to
        // find libtorch from local dependencies but rejects them from versioned ones.
        .package(name: "unetzoo", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "CustomBlock",
            dependencies: [
                .product(name: "UNetZoo", package: "unetzoo"),
                .product(name: "Torch", package: "unetzoo"),
            ],
            resources: [.copy("se-resnet.yaml")]
        )
    ]
)
