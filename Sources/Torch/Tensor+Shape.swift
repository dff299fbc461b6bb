import CTorch

// Views and rearrangements. Shapes use Int; -1 in `reshaped` infers one dimension like PyTorch.

extension Tensor {
    public func reshaped(_ shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_reshape(handle, dims, Int64(dims.count), $0) }
    }

    public func permuted(_ dims: [Int]) throws -> Tensor {
        let order = dims.map(Int64.init)
        return try makeTensor { ctorch_permute(handle, order, Int64(order.count), $0) }
    }

    public func transposed(_ first: Int, _ second: Int) throws -> Tensor {
        let rank = self.rank
        var order = Array(0..<rank)
        order.swapAt((first + rank) % rank, (second + rank) % rank)
        return try permuted(order)
    }

    public func expanded(to shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try makeTensor { ctorch_expand(handle, dims, Int64(dims.count), $0) }
    }

    /// `length` entries of `dim` starting at `start`, as a view.
    public func narrowed(dim: Int, start: Int, length: Int) throws -> Tensor {
        try makeTensor { ctorch_narrow(handle, Int64(dim), Int64(start), Int64(length), $0) }
    }

    /// Splits `dim` into `count` equal parts, like `torch.chunk`.
    public func chunked(_ count: Int, dim: Int) throws -> [Tensor] {
        let size = shape[(dim + rank) % rank]
        guard count > 0, size % count == 0 else {
            throw TorchError(operation: "chunk", message: "size \(size) of dimension \(dim) does not split into \(count) equal parts")
        }
        var handles = [OpaquePointer?](repeating: nil, count: count)
        try check(ctorch_chunk(handle, Int64(count), Int64(dim), &handles))
        return handles.map { Tensor(owning: $0!) }
    }

    public static func cat(_ tensors: [Tensor], dim: Int) throws -> Tensor {
        let handles: [OpaquePointer?] = tensors.map { $0.handle }
        return try withExtendedLifetime(tensors) {
            try makeTensor { ctorch_cat(handles, Int64(handles.count), Int64(dim), $0) }
        }
    }

    /// Entries of `dim` at the int64 positions in `index`.
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        try makeTensor { ctorch_index_select(handle, Int64(dim), index.handle, $0) }
    }

    public func flipped(dims: [Int]) throws -> Tensor {
        let axes = dims.map(Int64.init)
        return try makeTensor { ctorch_flip(handle, axes, Int64(axes.count), $0) }
    }

    public func to(dtype: DType? = nil, device: Device? = nil) throws -> Tensor {
        let targetType = dtype ?? self.dtype
        let targetDevice = device ?? self.device
        return try makeTensor { ctorch_to(handle, targetType.code, targetDevice.code, $0) }
    }

    /// The same values stored channels-last (NHWC in memory, still indexed NCHW), or back to contiguous.
    public func memoryFormat(channelsLast: Bool) throws -> Tensor {
        try makeTensor { ctorch_memory_format(handle, channelsLast ? 1 : 0, $0) }
    }
}
