import DVSLang
import DVSTensor

/// Incremental decoding with a key/value cache (inference only): writing a
/// new token's keys and values into the cache, and one query per example
/// attending to the rows written so far. stdlib/mllm.dvs builds
/// `mllm_prefill` and `mllm_step` on them.
enum DecodingFunctions {
    static let all: [NativeFunction] = [
        NativeFunction(
            "cache_write", [.init("cache", .tensor), .init("x", .tensor), .init("positions", .tensor)], returns: "nil",
            help:
                "Writes x [B, H, S, D] (or [B, S, D]) into the cache [B, H, T, D] (or [B, T, D]) in place, at rows positions[b] ..< positions[b] + S of each example b (positions: [B] whole numbers, a tensor or list). Inference only: x must not need gradients outside no_grad, and the cache must not need them at all."
        ) { a in
            let cache = try a.tensor(0), x = try a.tensor(1), positions = try a.tensor(2)
            try libraryCall { () throws(TensorError) in try cache.writeCache(x, at: positions) }
            return .null
        },
        NativeFunction(
            "cached_attention", [.init("q", .tensor), .init("keys", .tensor), .init("values", .tensor), .init("lengths", .tensor)],
            returns: "tensor",
            help:
                "Attention of one query per example q [B, H, 1, D] (or [B, 1, D]) over cached keys [B, H, T, D] and values [B, H, T, Dv]: key j of example b is visible iff j < lengths[b] (lengths: [B] whole numbers in 0...T, a tensor or list). Returns [B, H, 1, Dv]; scores scaled by 1/√D, zeros for length 0. Inference only (no backward)."
        ) { a in
            let q = try a.tensor(0), k = try a.tensor(1), v = try a.tensor(2), lengths = try a.tensor(3)
            return try TensorValue.result { () throws(TensorError) in
                try Tensor.cachedAttention(q, keys: k, values: v, lengths: lengths)
            }
        },
    ]
}
