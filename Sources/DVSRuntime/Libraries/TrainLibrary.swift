import DVSLang
import DVSTensor

/// Optimizers, gradient clipping, learning-rate schedules and initializers.
enum TrainLibrary {
    /// Parameters from a list of tensors or a (nested) record of them, each
    /// once (a tensor shared by two fields, as tied weights are, is listed at
    /// its first place); record paths name unnamed parameters ("lm.w") for
    /// graphs and checkpoints. A record or list that contains itself is an error.
    static func parameters(_ a: Arguments, _ i: Int) throws(NativeError) -> [Tensor] {
        var out: [Tensor] = []
        var seen = Set<ObjectIdentifier>()
        try a.walk(i) { v, path throws(NativeError) in
            switch v {
            case .object(let o as TensorValue):
                if o.tensor.name == nil, !path.isEmpty { o.tensor.name = SaveLoadLibrary.checkpointName(path) }
                if seen.insert(ObjectIdentifier(o.tensor)).inserted { out.append(o.tensor) }
                return false
            case .list, .record:
                return true
            default:
                throw NativeError(
                    "'\(a.function.name)': parameters are tensors in lists or records, found \(v.typeName) at '\(SaveLoadLibrary.checkpointName(path))'")
            }
        }
        return out.filter(\.requiresGrad)
    }

    private static func initializer(
        _ name: String, _ help: String,
        _ fill: @escaping (Tensor) throws(TensorError) -> Tensor
    ) -> NativeFunction {
        NativeFunction(
            name, [.init("shape_or_tensor", .oneOf([.list, .tensor]))], returns: "tensor",
            help: help + " Given a shape, returns a new tensor; given a tensor, fills it in place."
        ) { a in
            let target: Tensor
            if case .object(let o as TensorValue) = a[0] { target = o.tensor } else { target = try Tensor.zeros(try a.shape(0)) }
            return try TensorValue.result { () throws(TensorError) in try fill(target) }
        }
    }

    static let functions: [NativeFunction] = [
        NativeFunction(
            "parameters", [.init("model", .oneOf([.list, .record]))], returns: "list",
            help:
                "The trainable tensors in a (nested) record or list, in order; each unnamed one is named by its path (\"encoder.w\"), as graphs and checkpoints show."
        ) { a in
            .list(try parameters(a, 0).map(TensorValue.wrap))
        },
        NativeFunction(
            "adamw",
            [
                .init("params", .oneOf([.list, .record])), .init("lr", .number, default: .number(1e-3)),
                .init("betas", .list(of: .number), default: .list([.number(0.9), .number(0.999)])),
                .init("eps", .number, default: .number(1e-8)), .init("weight_decay", .number, default: .number(0.01)),
            ],
            returns: "optimizer", help: "AdamW with exactly PyTorch's update rule (decoupled weight decay, bias correction)."
        ) { a in
            let params = try parameters(a, 0)
            let betas = try a.numbers(2)
            guard betas.count == 2 else { throw NativeError("adamw: betas must be a list of two numbers, got \(a[2].repr)") }
            let b1 = betas[0], b2 = betas[1]
            let lr = Float(try a.number(1)), eps = Float(try a.number(3)), wd = Float(try a.number(4))
            let opt = try libraryCall { () throws(TensorError) in try AdamW(params, lr: lr, betas: (b1, b2), eps: eps, weightDecay: wd) }
            return .object(OptimizerValue(opt, kind: "adamw"))
        },
        NativeFunction(
            "sgd",
            [
                .init("params", .oneOf([.list, .record])), .init("lr", .number), .init("momentum", .number, default: .number(0)),
                .init("dampening", .number, default: .number(0)), .init("nesterov", .bool, default: .bool(false)),
                .init("weight_decay", .number, default: .number(0)),
            ],
            returns: "optimizer", help: "SGD with momentum, dampening, Nesterov and weight decay, as PyTorch's."
        ) { a in
            let params = try parameters(a, 0)
            let lr = Float(try a.number(1)), m = Float(try a.number(2)), d = Float(try a.number(3))
            let nesterov = try a.bool(4), wd = Float(try a.number(5))
            let opt = try libraryCall { () throws(TensorError) in try SGD(params, lr: lr, momentum: m, dampening: d, nesterov: nesterov, weightDecay: wd) }
            return .object(OptimizerValue(opt, kind: "sgd"))
        },
        NativeFunction(
            "clip_grad_norm", [.init("params", .oneOf([.list, .record])), .init("max_norm", .number)], returns: "number",
            help: "Scales all gradients so their global L2 norm is at most max_norm; returns the norm before clipping."
        ) { a in
            let params = try parameters(a, 0), maxNorm = Float(try a.number(1))
            return number(try libraryCall { () throws(TensorError) in try clipGradNorm(params, maxNorm: maxNorm) })
        },
        NativeFunction(
            "lr_schedule",
            [
                .init("kind", .string), .init("peak", .number), .init("warmup", .whole, default: .number(0)),
                .init("total", .whole, default: .number(0)), .init("min_lr", .number, default: .number(0)),
            ],
            returns: "function",
            help:
                "A learning-rate schedule as a function of the step: kind \"constant\", \"warmup\" (linear from 0 to peak over warmup steps), \"cosine\" (peak to min_lr over total steps) or \"warmup_cosine\". let lr = lr_schedule(\"warmup_cosine\", 1e-3, warmup: 100, total: 1000); lr(50)."
        ) { a in
            let kind = try a.string(0), peak = Float(try a.number(1)), warmup = try a.int(2), total = try a.int(3), minLR = Float(try a.number(4))
            let schedule: LRSchedule = try libraryCall { () throws(TensorError) -> LRSchedule in
                switch kind {
                case "constant": return try .constant(peak)
                case "warmup": return try .linearWarmup(peak: peak, warmup: warmup)
                case "cosine": return try .cosine(peak: peak, minLR: minLR, total: total)
                case "warmup_cosine": return try .warmupCosine(peak: peak, minLR: minLR, warmup: warmup, total: total)
                default: throw TensorError("lr_schedule: kind must be \"constant\", \"warmup\", \"cosine\" or \"warmup_cosine\", got \"\(kind)\"")
                }
            }
            return .function(
                NativeFunction(
                    "lr_\(kind)", [.init("step", .whole)], returns: "number",
                    help: "The learning rate at a (0-based) step."
                ) { inner in
                    number(schedule.lr(at: try inner.int(0)))
                })
        },
        initializer("xavier_uniform", "Xavier/Glorot uniform values (fan-in and fan-out as PyTorch).") { t throws(TensorError) in try Init.xavierUniform(t) },
        initializer("xavier_normal", "Xavier/Glorot normal values.") { t throws(TensorError) in try Init.xavierNormal(t) },
        initializer("kaiming_uniform", "Kaiming/He uniform values for ReLU layers (fan-in).") { t throws(TensorError) in try Init.kaimingUniform(t) },
        initializer("kaiming_normal", "Kaiming/He normal values for ReLU layers (fan-in).") { t throws(TensorError) in try Init.kaimingNormal(t) },
    ]
}
