// swift-tools-version:6.0
//
// unetzoo: architecture ablations of diffusion U-Nets on libtorch.
//
// The manifest locates libtorch by itself so that plain `swift build`, `swift test` and
// `swift run unetzoo` work in a new shell after `scripts/setup.sh`:
//   1. `LIBTORCH=/path` when set: a libtorch distribution or the `torch` folder of a PyTorch install;
//   2. otherwise the `torch` folder of the project-local virtual environment `.venv` that the set-up makes.
// When neither exists, the shim is compiled with CTORCH_LIBTORCH_MISSING, which stops the build
// with a message that says how to fix it instead of a wall of missing-header errors.

import Foundation
import PackageDescription

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path

/// The libtorch root (the folder holding `include/` and `lib/`), or nil when none is found.
func locateLibtorch() -> String? {
    let fileManager = FileManager.default
    if let explicit = ProcessInfo.processInfo.environment["LIBTORCH"], !explicit.isEmpty {
        // A LIBTORCH without headers falls through to nil, so the build stops with the shim's
        // explanation instead of a missing-header error deep inside ATen.
        return fileManager.fileExists(atPath: explicit + "/include/ATen/ATen.h") ? explicit : nil
    }
    let venvLib = packageRoot + "/.venv/lib"
    let pythons = (try? fileManager.contentsOfDirectory(atPath: venvLib)) ?? []
    for python in pythons.sorted() where python.hasPrefix("python") {
        let candidate = "\(venvLib)/\(python)/site-packages/torch"
        if fileManager.fileExists(atPath: candidate + "/include/ATen/ATen.h") {
            return candidate
        }
    }
    return nil
}

let libtorch = locateLibtorch()

var shimCXXSettings: [CXXSetting] = [.define("CTORCH_LIBTORCH_MISSING")]
var shimLinkerSettings: [LinkerSetting] = []

if let libtorch {
    shimCXXSettings = [
        .unsafeFlags([
            "-isystem", "\(libtorch)/include",
            "-isystem", "\(libtorch)/include/torch/csrc/api/include",
            "-O2",
            "-Wno-deprecated-declarations",
        ])
    ]
    // `--no-as-needed` keeps libtorch_cuda in the dependency list although no symbol of it is
    // referenced: loading it is what registers the CUDA backend. It is skipped for a CPU-only libtorch.
    var libraries = ["-ltorch", "-ltorch_cpu", "-lc10"]
    if FileManager.default.fileExists(atPath: "\(libtorch)/lib/libtorch_cuda.so") {
        libraries = ["-Xlinker", "--no-as-needed", "-ltorch_cuda"] + libraries + ["-Xlinker", "--as-needed"]
    }
    shimLinkerSettings = [
        .unsafeFlags(["-L\(libtorch)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(libtorch)/lib"] + libraries)
    ]
}

let package = Package(
    name: "unetzoo",
    products: [
        .library(name: "UNetZoo", targets: ["UNetZoo"]),
        .library(name: "Torch", targets: ["Torch"]),
        .executable(name: "unetzoo", targets: ["unetzoo"]),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .target(
            name: "CTorch",
            cxxSettings: shimCXXSettings,
            linkerSettings: shimLinkerSettings
        ),
        .target(name: "Torch", dependencies: ["CTorch"]),
        .target(name: "UNetZoo", dependencies: ["Torch", "CYAML", "CZlib", "CPNG"]),
        .executableTarget(name: "unetzoo", dependencies: ["UNetZoo"]),
        .testTarget(name: "TorchTests", dependencies: ["Torch"]),
        .testTarget(name: "UNetZooTests", dependencies: ["UNetZoo"], resources: [.copy("Specs")]),
        .testTarget(name: "unetzooCLITests", dependencies: ["unetzoo"]),
    ],
    cxxLanguageStandard: .cxx20
)
