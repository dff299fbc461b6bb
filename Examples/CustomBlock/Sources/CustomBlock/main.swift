import Foundation
import Torch
import UNetZoo

/// Registers `mylab.se_resnet`, loads a spec that names it, profiles it analytically, builds it
/// and checks that the analytic and the real parameter counts agree. Exits 1 when they do not.
func runExample() throws -> Int32 {
    try BlockRegistry.standard.register(SqueezeExcitationBlock.entry)

    guard let path = Bundle.module.path(forResource: "se-resnet", ofType: "yaml") else {
        FileHandle.standardError.write(Data("error: se-resnet.yaml is missing from the bundle\n".utf8))
        return 1
    }
    let spec = try SpecLoader().load(path: path)
    let profile = Profiler.profile(UNetPlan(spec: spec), batch: 2)

    try Torch.manualSeed(0)
    let model = try UNetBuilder().build(spec)
    let result = try model.timedForward(batch: 2)

    print("spec \(spec.name): block \(spec.block), \(model.parameterCount) parameters, analytic \(profile.total.parameters)")
    print("analytic MACs for a batch of 2: \(profile.total.macs * 2)")
    print("forward: \(result.inputShape) -> \(result.outputShape)")
    let names = model.namedParameters.map(\.name)
    print("first block parameters: \(names.filter { $0.hasPrefix("downs.0.0.") && !$0.contains(".residual.") })")
    return profile.total.parameters == model.parameterCount && result.outputShape == result.inputShape ? 0 : 1
}

do {
    exit(try runExample())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
