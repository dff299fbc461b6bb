import CTorch

/// An n-dimensional array backed by one libtorch tensor.
///
/// A `Tensor` owns exactly one shim handle and releases it when the last Swift reference goes away.
/// Tensors are immutable values from Swift's point of view, except through the explicitly named
/// in-place operations that optimizers and initialisers use (`copy(from:)`, `uniform(_:_:)`).
public final class Tensor {
    let handle: OpaquePointer

    /// Takes ownership of a handle returned by the shim; the handle is freed in `deinit`.
    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        ctorch_tensor_free(handle)
    }

    // MARK: Creation

    /// A float32 CPU tensor with the given values in row-major order.
    public convenience init(_ values: [Float], shape: [Int]) throws {
        try self.init(bytesOf: values, shape: shape, dtype: .float32)
    }

    /// An int64 CPU tensor with the given values in row-major order.
    public convenience init(_ values: [Int64], shape: [Int]) throws {
        try self.init(bytesOf: values, shape: shape, dtype: .int64)
    }

    /// A float64 CPU tensor with the given values in row-major order.
    public convenience init(_ values: [Double], shape: [Int]) throws {
        try self.init(bytesOf: values, shape: shape, dtype: .float64)
    }

    /// A CPU tensor holding a copy of raw little-endian bytes laid out in row-major order.
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws {
        let dims = shape.map(Int64.init)
        var handle: OpaquePointer?
        try check(ctorch_from_data(bytes.baseAddress, bytes.count, dims, Int64(dims.count), dtype.code, &handle))
        self.init(owning: handle!)
    }

    private convenience init<Element>(bytesOf values: [Element], shape: [Int], dtype: DType) throws {
        let dims = shape.map(Int64.init)
        var handle: OpaquePointer?
        let status = values.withUnsafeBytes { bytes in
            ctorch_from_data(bytes.baseAddress, bytes.count, dims, Int64(dims.count), dtype.code, &handle)
        }
        try check(status)
        self.init(owning: handle!)
    }

    public static func full(
        _ shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu
    ) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_full(dims, Int64(dims.count), value, dtype.code, device.code, $0) }
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, value: 0, dtype: dtype, device: device)
    }

    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, value: 1, dtype: dtype, device: device)
    }

    /// Samples from N(0, 1) with libtorch's default generator (see `Torch.manualSeed`).
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_random(dims, Int64(dims.count), 1, dtype.code, device.code, $0) }
    }

    /// Samples from U[0, 1) with libtorch's default generator.
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_random(dims, Int64(dims.count), 0, dtype.code, device.code, $0) }
    }

    /// Samples int64 values uniformly from `low..<high`.
    public static func randint(_ low: Int, _ high: Int, shape: [Int], device: Device = .cpu) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_randint(Int64(low), Int64(high), dims, Int64(dims.count), device.code, $0) }
    }

    /// Values `start, start + step, ...` below `end`.
    public static func arange(
        _ start: Double, _ end: Double, step: Double = 1, dtype: DType = .float32, device: Device = .cpu
    ) throws -> Tensor {
        try makeTensor { ctorch_arange(start, end, step, dtype.code, device.code, $0) }
    }

    /// A random permutation of `0..<count` as int64.
    public static func randperm(_ count: Int, device: Device = .cpu) throws -> Tensor {
        try makeTensor { ctorch_randperm(Int64(count), device.code, $0) }
    }

    // MARK: Properties

    public var shape: [Int] {
        var rank: Int64 = 0
        guard ctorch_rank(handle, &rank) == 0 else { return [] }
        var dims = [Int64](repeating: 0, count: Int(rank))
        guard ctorch_shape(handle, &dims) == 0 else { return [] }
        return dims.map(Int.init)
    }

    public var rank: Int { shape.count }

    /// The number of elements.
    public var count: Int { shape.reduce(1, *) }

    public var dtype: DType {
        var code: Int32 = 0
        _ = ctorch_dtype(handle, &code)
        return DType(code: code) ?? .float32
    }

    public var device: Device {
        var code: Int32 = -1
        _ = ctorch_device(handle, &code)
        return Device(code: code)
    }

    public var requiresGrad: Bool {
        var flag: Int32 = 0
        _ = ctorch_requires_grad(handle, &flag)
        return flag != 0
    }

    // MARK: Reading values

    /// Copies the elements to the host, converted to float32.
    public func floats() throws -> [Float] {
        try hostArray(of: Float.self, as: .float32)
    }

    /// Copies the elements to the host, converted to float64.
    public func doubles() throws -> [Double] {
        try hostArray(of: Double.self, as: .float64)
    }

    /// Copies the elements to the host, converted to int64.
    public func int64s() throws -> [Int64] {
        try hostArray(of: Int64.self, as: .int64)
    }

    /// The value of a one-element tensor as a Double.
    public func item() throws -> Double {
        let values = try doubles()
        guard values.count == 1 else {
            throw TorchError(operation: "item", message: "a tensor with \(values.count) elements has no single value")
        }
        return values[0]
    }

    /// The raw bytes of the elements in row-major order, in the tensor's own dtype.
    public func rawBytes() throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count * dtype.byteSize)
        let status = bytes.withUnsafeMutableBytes { ctorch_copy_to_host(handle, $0.baseAddress, $0.count) }
        try check(status)
        return bytes
    }

    private func hostArray<Element>(of type: Element.Type, as dtype: DType) throws -> [Element] {
        let source = self.dtype == dtype && device == .cpu ? self : try to(dtype: dtype, device: .cpu)
        let count = source.count
        var status: Int32 = 0
        let values = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            status = ctorch_copy_to_host(source.handle, buffer.baseAddress, count * MemoryLayout<Element>.stride)
            initialized = status == 0 ? count : 0
        }
        try check(status)
        return values
    }
}
