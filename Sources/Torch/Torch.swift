import CTorch

/// Process-wide libtorch settings.
public enum Torch {
    /// The libtorch version string, for example "2.15.0".
    public static var version: String {
        var text: UnsafePointer<CChar>?
        guard ctorch_version(&text) == 0, let text else { return "unknown" }
        return String(cString: text)
    }

    /// Seeds libtorch's default CPU generator and every CUDA generator.
    public static func manualSeed(_ seed: UInt64) throws {
        try check(ctorch_manual_seed(seed))
    }

    /// The CPU generator's state, to be saved with a checkpoint.
    public static func rngState() throws -> Tensor {
        try makeTensor { ctorch_rng_state($0) }
    }

    public static func setRNGState(_ state: Tensor) throws {
        try check(ctorch_set_rng_state(state.handle))
    }

    /// Threads libtorch uses for intra-op parallelism on the CPU.
    public static var threadCount: Int {
        var count: Int32 = 1
        _ = ctorch_get_num_threads(&count)
        return Int(count)
    }

    public static func setThreadCount(_ count: Int) throws {
        try check(ctorch_set_num_threads(Int32(count)))
    }

    /// CUDA devices visible to libtorch; 0 for a CPU-only libtorch or a machine without a GPU.
    public static var cudaDeviceCount: Int {
        var count: Int32 = 0
        guard ctorch_cuda_device_count(&count) == 0 else { return 0 }
        return Int(count)
    }

    /// Waits for the device's queued work to finish (a no-op on the CPU); needed for honest GPU timings.
    public static func synchronize(_ device: Device) throws {
        try check(ctorch_synchronize(device.code))
    }
}
