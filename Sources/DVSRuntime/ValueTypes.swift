import DVSLang

/// The runtime's value types as native parameter types (see `ParameterType`):
/// `.init("img", .image)` declares a parameter that takes images.
extension ParameterType {
    /// A tensor, or a number, bool, range or nested list of numbers, which the
    /// native converts (`Arguments.tensor`).
    static let tensor = ParameterType.value(
        ValueType("tensor") { value in
            switch value {
            case .object(let o): return o is TensorValue
            case .number, .bool, .list, .range: return true
            default: return false
            }
        })
    static let image = ParameterType.value(.objects(of: ImageValue.self, "image"))
    static let box = ParameterType.value(.objects(of: BoxValue.self, "box"))
    static let grid = ParameterType.value(.objects(of: GridValue.self, "grid"))
    static let font = ParameterType.value(.objects(of: FontValue.self, "font"))
    static let chart = ParameterType.value(.objects(of: ChartValue.self, "chart"))
    static let graph = ParameterType.value(.objects(of: GraphValue.self, "graph"))
    static let tokenizer = ParameterType.value(.objects(of: TokenizerValue.self, "tokenizer"))
    static let optimizer = ParameterType.value(.objects(of: OptimizerValue.self, "optimizer"))
}
