// DVSKernels: the elementwise inner loops of DVSTensor's fused kernels, in C
// so that each is compiled three times (AVX-512, AVX2+FMA and baseline x86-64)
// and the widest one the CPU supports is chosen when the program loads
// (`target_clones`). Swift compiles for baseline x86-64 (SSE2) only, where
// GELU's exponential runs 3–4x slower. Plain C on float pointers: no DVS types.
#ifndef DVS_KERNELS_H
#define DVS_KERNELS_H

#include <stddef.h>

/// Tells the CPU that the caller is spinning on a flag (x86 `pause`), so a
/// waiting thread neither floods the memory system nor starves its sibling.
static inline void dvs_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// GELU (tanh approximation) of x[0..<n] into y: y = x·σ(2u), u = √(2/π)(x + 0.044715x³).
void dvs_gelu_forward(const float *x, float *y, size_t n);

/// The GELU gradient: dx[i] = dy[i] · gelu'(x[i]).
void dvs_gelu_backward(const float *x, const float *dy, float *dx, size_t n);

/// y[j] = e^(x[j] − shift) for j in 0..<n (y may be x), and returns Σ y in
/// single precision, summed in an order fixed by n: a softmax row's numerator
/// and denominator in one pass. For rows of hundreds of elements (classes,
/// softmax axes); short rows (attention's, 1…T) are faster in DVSTensor's
/// inlined Swift loop, which has no call and no 16-wide tail.
float dvs_exp_shifted_sum(const float *x, float *y, size_t n, float shift);

/// y[j] = scale · e^(x[j] − shift) (y may be x): a softmax row, or the
/// probabilities part of cross-entropy's gradient.
void dvs_scaled_exp(const float *x, float *y, size_t n, float shift, float scale);

/// Layer norm of `rows` rows of `c` floats: y = (x − mean)·rstd·w + b, with w
/// and b optional (NULL: 1 and 0); writes each row's mean and 1/√(var + eps)
/// (the variance from centred values, so rows far from 0 stay accurate).
void dvs_layer_norm_rows(const float *x, float *y, size_t rows, size_t c, const float *w, const float *b,
                         float eps, float *means, float *rstds);

/// Layer norm backward over `rows` rows: dx (if not NULL) = rstd·(ĝ − mean(ĝ) −
/// x̂·mean(ĝ·x̂)) with x̂ = (x − mean)·rstd and ĝ = g·w (w NULL: 1), and adds
/// Σ g·x̂ to dw and Σ g to db (row by row, in order).
void dvs_layer_norm_backward_rows(const float *x, const float *g, float *dx, size_t rows, size_t c, const float *w,
                                  const float *means, const float *rstds, float *dw, float *db);

/// Softmax of each row of a rows × cols score matrix in place, over its
/// first `limit` entries (causal: row i keeps i + 1, else all), zeros after:
/// attention's probabilities for one batch·head, one call per matrix.
void dvs_softmax_prefix_rows(float *s, size_t rows, size_t cols, int causal);

/// out[j] += Σ_r x[r·stride + j] for j in 0..<width, rows in order: the
/// column sums of a row-major block (a bias's gradient).
void dvs_add_rows(const float *x, float *out, size_t rows, size_t width, size_t stride);

/// Softmax backward in place for `rows` rows of `cols`: ds = p ⊙ (ds − Σ p ⊙ ds)
/// over each row's prefix (causal: row r keeps r + 1 entries, else all), zeros
/// after, so ds past a causal row's end may hold anything before the call.
void dvs_softmax_backward_prefix_rows(const float *p, float *ds, size_t rows, size_t cols, int causal);

/// One AdamW step's constants (see DVSTensor's AdamW for their meaning).
typedef struct {
    float decay_factor;      // 1 − lr·weight_decay, applied when decay != 0
    int decay;
    float w;                 // 1 − β₁ (the lerp weight)
    float one_minus_w;       // β₁
    int small_weight;        // |w| < 0.5: m + w(g − m), else g − (g − m)(1 − w)
    float beta2, one_minus_beta2;
    float neg_step_size;     // −lr / (1 − β₁ᵗ)
    float bias_correction2_sqrt;
    float eps;
} dvs_adamw_constants;

/// AdamW on p, m, v [0..<n] with gradient g, in PyTorch's operation order
/// and without fused multiply-adds (so results match PyTorch's bit for bit).
void dvs_adamw_update(float *p, const float *g, float *m, float *v, size_t n, const dvs_adamw_constants *c);

/// One attention head, forward: S = scale·Q Kᵀ, P = softmax of each row of S
/// (causal: row i over keys 0…i, zeros after) written to p (tq × tk), and
/// O = P V. Q (tq × d), K (tk × d), V (tk × dv) and O (tq × dv) are
/// row-major with the given leading dimensions (a head inside a wider
/// tensor); scratch holds d·tk floats. Equal to the BLAS formulation up to
/// rounding, faster for the small matrices of one head (AttentionHeads.c).
/// Like dvs_gemm, uses AVX-512 on x86-64: only where dvs_gemm_available().
void dvs_attention_head_forward(size_t tq, size_t tk, size_t d, size_t dv, float scale, int causal, const float *q,
                                size_t ldq, const float *k, size_t ldk, const float *v, size_t ldv, float *p, float *o,
                                size_t ldo, float *scratch);

/// One attention head, backward, from P (forward's p) and dO (go): dV = Pᵀ dO,
/// dS = P ⊙ (dP − rowsum(dP ⊙ P)) with dP = dO Vᵀ, dQ = scale·dS K and
/// dK = scale·dSᵀ Q, each written only when its pointer is not NULL;
/// scratch holds tq·tk + dv·tk floats.
void dvs_attention_head_backward(size_t tq, size_t tk, size_t d, size_t dv, float scale, int causal, const float *p,
                                 const float *go, size_t ldgo, const float *q, size_t ldq, const float *k, size_t ldk,
                                 const float *v, size_t ldv, float *dq, size_t lddq, float *dk, size_t lddk,
                                 float *dvalues, size_t lddv, float *scratch);

/// Asks for the cache lines of `rows` rows of `cols` floats (leading dimension
/// ld), for the next attention head while this one computes: a head's rows
/// lie far apart in a wider tensor that the previous op left in L3, where the
/// hardware prefetchers do not follow them.
void dvs_prefetch_rows(const float *x, size_t ld, size_t rows, size_t cols);

/// Whether dvs_gemm runs on this CPU (x86-64 with AVX-512F); where it does
/// not, products go to OpenBLAS.
int dvs_gemm_available(void);

/// C = alpha·A·B + (accumulate ? C : bias), for C row-major m × n with
/// leading dimension ldc, A(i, p) at a[i·a_row + p·a_col], B(p, j) at
/// b[p·b_row + j·b_col] (a transpose is a swap of strides), bias NULL (zero)
/// or n values added to every row; k ≥ 1. C is only written, not read, when
/// accumulate is 0. Returns 0, or −1 with C untouched when the thread's 1 MiB
/// packing buffer cannot be allocated (or, off x86-64, always). Uses AVX-512
/// on x86-64: call it only where dvs_gemm_available() says so. Faster than
/// OpenBLAS on training-size products (Gemm.c says why); one thread.
int dvs_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
             const float *b, ptrdiff_t b_row, ptrdiff_t b_col, float *c, size_t ldc, int accumulate,
             const float *bias);

#endif
