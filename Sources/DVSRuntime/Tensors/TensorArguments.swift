import DVSLang
import DVSTensor

extension Arguments {
    /// A tensor argument; what else `ParameterType.tensor` takes (numbers,
    /// nested lists) is converted.
    func tensor(_ i: Int) throws(NativeError) -> Tensor {
        if case .object(let o as TensorValue) = self[i] { return o.tensor }
        guard ParameterType.tensor.accepts(self[i]) else { throw bad(i, .tensor) }
        return try TensorConversion.tensor(from: self[i], "\(function.name): argument '\(function.parameters[i].name)'")
    }

    /// An optional whole-number argument (nil when the caller passed nil).
    func optionalInt(_ i: Int) throws(NativeError) -> Int? {
        isNil(i) ? nil : try int(i)
    }

    /// A shape given as a list (`[2, 3]`) or a number.
    func shape(_ i: Int) throws(NativeError) -> [Int] {
        try TensorConversion.shape(self[i], "\(function.name): argument '\(function.parameters[i].name)'")
    }

    /// A list of tensors.
    func tensors(_ i: Int) throws(NativeError) -> [Tensor] {
        var out: [Tensor] = []
        for (k, item) in try list(i).items.enumerated() {
            guard case .object(let o as TensorValue) = item else {
                throw NativeError(
                    "\(function.name): argument '\(function.parameters[i].name)' must be a list of tensors, got a list whose item \(k) is \(item.typeName)")
            }
            out.append(o.tensor)
        }
        return out
    }
}

extension TensorValue {
    static func result<E: LibraryError>(_ body: () throws(E) -> Tensor) throws(NativeError) -> Value {
        wrap(try libraryCall(body))
    }
}
