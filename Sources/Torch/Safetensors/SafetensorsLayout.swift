/// The validated header of a safetensors file: where each tensor's bytes lie and how to read them.
struct SafetensorsLayout {
    /// One tensor's header entry, checked against the file.
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        /// Byte offsets relative to the start of the data section.
        let begin: Int
        let end: Int

        var byteCount: Int { end - begin }
    }

    let entries: [Entry]
    let metadata: [String: String]
    /// The file offset of the data section: 8 plus the header length.
    let dataStart: Int

    /// Parses and validates the header of a whole file's bytes.
    ///
    /// - Throws: `SafetensorsError` naming the first problem, with the values found.
    init(fileBytes bytes: [UInt8], path: String) throws {
        func failure(_ message: String) -> SafetensorsError {
            SafetensorsError(path: path, message: message)
        }

        // header length
        guard bytes.count >= 8 else {
            throw failure(
                "the file is \(bytes.count) bytes long, shorter than the 8-byte header length; "
                    + "the file is truncated or not a safetensors file")
        }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(Safetensors.maximumHeaderLength) else {
            throw failure(
                "the header length \(headerLength) exceeds the limit of \(Safetensors.maximumHeaderLength) bytes; "
                    + "the file is corrupt or not a safetensors file")
        }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw failure(
                "the header length \(headerLength) exceeds the \(bytes.count - 8) bytes that follow it; "
                    + "the file is truncated or not a safetensors file")
        }
        dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart

        // JSON
        let json: HeaderJSON
        do {
            json = try HeaderJSON.parse(Array(bytes[8..<dataStart]))
        } catch {
            throw failure("invalid JSON in the header at byte \(error.offset): \(error.message)")
        }
        guard case .object(let members) = json else {
            throw failure("the header is \(json.kindDescription), expected a JSON object that maps tensor names to entries")
        }

        // entries
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for (name, value) in members {
            if name == "__metadata__" {
                metadata = try SafetensorsLayout.metadata(from: value, failure: failure)
            } else {
                entries.append(try SafetensorsLayout.entry(name: name, value: value, dataLength: dataLength, failure: failure))
            }
        }

        // overlaps: after sorting by offset, each range must start at or after the previous one's end
        let ordered = entries.sorted { ($0.begin, $0.end) < ($1.begin, $1.end) }
        for (previous, next) in zip(ordered, ordered.dropFirst()) where next.begin < previous.end {
            throw failure(
                "tensors \"\(previous.name)\" and \"\(next.name)\" overlap: data_offsets [\(previous.begin), \(previous.end)] "
                    + "and [\(next.begin), \(next.end)]")
        }

        // booleans: libtorch assumes every byte is 0 or 1, so other values would give undefined results
        for entry in entries where entry.dtype == .bool {
            let start = dataStart + entry.begin
            if let index = bytes[start..<start + entry.byteCount].firstIndex(where: { $0 > 1 }) {
                throw failure(
                    "tensor \"\(entry.name)\": BOOL element \(index - start) is the byte \(bytes[index]), expected 0 or 1")
            }
        }

        self.entries = entries
        self.metadata = metadata
    }

    private static func metadata(
        from value: HeaderJSON, failure: (String) -> SafetensorsError
    ) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw failure("__metadata__ is \(value.kindDescription), expected a JSON object of string values")
        }
        var metadata: [String: String] = [:]
        for (key, item) in members {
            guard case .string(let text) = item else {
                throw failure("__metadata__ value of \"\(key)\" is \(item.kindDescription), expected a string")
            }
            metadata[key] = text
        }
        return metadata
    }

    private static func entry(
        name: String, value: HeaderJSON, dataLength: Int, failure: (String) -> SafetensorsError
    ) throws -> Entry {
        let subject = "tensor \"\(name)\""
        guard case .object(let fields) = value else {
            throw failure("\(subject) is \(value.kindDescription), expected an object with dtype, shape and data_offsets")
        }
        for (key, _) in fields where !["dtype", "shape", "data_offsets"].contains(key) {
            throw failure("\(subject) has the unknown key \"\(key)\"; expected dtype, shape and data_offsets")
        }
        func field(_ key: String) throws -> HeaderJSON {
            guard let found = fields.first(where: { $0.key == key }) else {
                throw failure("\(subject) has no \(key)")
            }
            return found.value
        }

        // dtype
        let dtypeValue = try field("dtype")
        guard case .string(let dtypeName) = dtypeValue else {
            throw failure("\(subject): dtype is \(dtypeValue.kindDescription), expected a string such as \"F32\"")
        }
        let supported = Safetensors.dtypeNames.map(\.name).joined(separator: ", ")
        guard let dtype = Safetensors.dtype(named: dtypeName) else {
            if Safetensors.unsupportedDTypeNames.contains(dtypeName) {
                throw failure("\(subject): dtype \(dtypeName) is not supported; unetzoo reads \(supported)")
            }
            throw failure("\(subject): unknown dtype \"\(dtypeName)\"; expected one of \(supported)")
        }

        // shape
        let shapeValue = try field("shape")
        guard case .array(let dimensionValues) = shapeValue else {
            throw failure("\(subject): shape is \(shapeValue.kindDescription), expected an array of sizes")
        }
        var shape: [Int] = []
        var byteCount = dtype.byteSize
        var overflow = false
        for dimensionValue in dimensionValues {
            guard let size = dimensionValue.nonNegativeInteger else {
                throw failure("\(subject): shape contains \(dimensionValue.kindDescription), expected non-negative integers")
            }
            shape.append(size)
            let product = byteCount.multipliedReportingOverflow(by: size)
            byteCount = product.partialValue
            overflow = overflow || product.overflow
        }
        let shapeText = "[" + shape.map(String.init).joined(separator: ", ") + "]"

        // data offsets
        let offsetsValue = try field("data_offsets")
        guard case .array(let offsetValues) = offsetsValue, offsetValues.count == 2,
            let begin = offsetValues[0].nonNegativeInteger, let end = offsetValues[1].nonNegativeInteger
        else {
            throw failure("\(subject): data_offsets is \(offsetsValue.serialized), expected [begin, end] with non-negative integers")
        }
        let offsetsText = "data_offsets [\(begin), \(end)]"
        guard begin <= end else {
            throw failure("\(subject): \(offsetsText) begin after they end")
        }
        guard !overflow, byteCount == end - begin else {
            let needed = overflow ? "more than \(Int.max)" : "\(byteCount)"
            throw failure("\(subject): shape \(shapeText) of \(dtypeName) needs \(needed) bytes, but \(offsetsText) span \(end - begin)")
        }
        guard end <= dataLength else {
            throw failure(
                "\(subject): \(offsetsText) end beyond the data section of \(dataLength) bytes; the file is truncated or corrupt")
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }
}
