// One attention head, forward and backward, in one call each (see
// dvs_attention_head_forward in DVSKernels.h).
//
// The per-head matrices are small (tens of rows and columns), where a BLAS
// call costs as much in set-up and packing as in arithmetic. Here every
// product is a register tile of up to 6 rows × 64 columns that broadcasts
// one element of the left operand at a time against whole rows of the right
// one, which is read in place (Kᵀ and Vᵀ are transposed into scratch first).
// Causal heads skip what is known to be zero: scores and their gradients
// right of a row's last key, and the zero triangle of P and dS in the
// products that read them. For up to 64 keys a row group's scores go from
// the product's registers through the softmax to P (forward), and its dP
// through the softmax backward to dS (backward), without a pass over memory.
#include "DVSKernels.h"

#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define AVX512 __attribute__((target("avx512f")))
#else
#define AVX512
#endif

enum { ROWS = 6, VECTORS = 4, WIDTH = 16 * VECTORS };

// Which part of a product a causal head needs: all of it; for row i only the
// inner steps p ≤ i (the left operand is P or dS, zero right of the
// diagonal) or p ≥ i (the left operand is Pᵀ or dSᵀ); or only the columns
// j ≤ i (scores and their gradients past the last key are not used).
typedef enum { ALL, INNER_UP_TO_ROW, INNER_FROM_ROW, COLUMNS_UP_TO_ROW } triangle;

static inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

#if defined(__x86_64__)

// CALL(nv) with nv = ⌈columns / 16⌉ (1…4) as a constant, so that the tile it
// calls keeps its accumulators in registers.
#define BY_VECTORS(columns, CALL)                                                                                    \
    switch (((columns) + 15) / 16) {                                                                                 \
    case 1: CALL(1); break;                                                                                          \
    case 2: CALL(2); break;                                                                                          \
    case 3: CALL(3); break;                                                                                          \
    default: CALL(4); break;                                                                                         \
    }

// The masks of a row of nc ≤ 16·nv columns, one per vector.
AVX512 static inline __attribute__((always_inline)) void column_masks(int nv, size_t nc, __mmask16 *mask) {
#pragma unroll
    for (int v = 0; v < nv; v++) {
        size_t left = nc > (size_t)(16 * v) ? nc - 16 * v : 0;
        mask[v] = left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1);
    }
}

// acc[r][v] = Σ_{p_lo ≤ p < p_hi} A(r, p) B(p, 16v…16v+15) for r < 6, columns
// masked by `mask`; A(r, p) at a[r·a_row + p·a_col] (rows past `rows` repeat
// the last one), B row-major. nv is a constant in each caller, so after
// inlining the accumulators are registers.
AVX512 static inline __attribute__((always_inline)) void accumulate(
    int nv, size_t rows, const __mmask16 *mask, size_t p_lo, size_t p_hi, const float *a, ptrdiff_t a_row,
    ptrdiff_t a_col, const float *b, size_t ldb, __m512 acc[ROWS][VECTORS]) {
    const float *row_of[ROWS];
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        row_of[r] = a + (ptrdiff_t)((size_t)r < rows ? r : rows - 1) * a_row;
#pragma unroll
        for (int v = 0; v < nv; v++) acc[r][v] = _mm512_setzero_ps();
    }
    for (size_t p = p_lo; p < p_hi; p++) {
        const float *bp = b + p * ldb;
        __m512 bv[VECTORS];
#pragma unroll
        for (int v = 0; v < nv; v++) bv[v] = _mm512_maskz_loadu_ps(mask[v], bp + 16 * v);
#pragma unroll
        for (int r = 0; r < ROWS; r++) {
            __m512 av = _mm512_set1_ps(row_of[r][(ptrdiff_t)p * a_col]);
#pragma unroll
            for (int v = 0; v < nv; v++) acc[r][v] = _mm512_fmadd_ps(av, bv[v], acc[r][v]);
        }
    }
}

// C(i, j) = alpha · Σ_{p_lo ≤ p < p_hi} A(i, p) B(p, j) for `rows` ≤ 6 rows and
// nc ≤ 16·nv columns.
AVX512 static inline __attribute__((always_inline)) void block(
    int nv, size_t rows, size_t nc, size_t p_lo, size_t p_hi, float alpha, const float *a, ptrdiff_t a_row,
    ptrdiff_t a_col, const float *b, size_t ldb, float *c, size_t ldc) {
    __m512 acc[ROWS][VECTORS];
    __mmask16 mask[VECTORS];
    column_masks(nv, nc, mask);
    accumulate(nv, rows, mask, p_lo, p_hi, a, a_row, a_col, b, ldb, acc);
    __m512 scale = _mm512_set1_ps(alpha);
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        if ((size_t)r >= rows) break;
#pragma unroll
        for (int v = 0; v < nv; v++)
            _mm512_mask_storeu_ps(c + r * ldc + 16 * v, mask[v], _mm512_mul_ps(acc[r][v], scale));
    }
}

// e^x, lane by lane: DVSKernels' dvs_vexp (VectorExp.h) in AVX-512, the same
// steps and constants (0 below −86.6, ∞ above 88.72, nan stays nan).
AVX512 static inline __m512 exp_lanes(__m512 x) {
    const __m512 low = _mm512_set1_ps(-86.6f), high = _mm512_set1_ps(88.72f), shifter = _mm512_set1_ps(12582912.0f);
    __m512 c = _mm512_max_ps(low, _mm512_min_ps(high, x));  // x second: a nan x passes through
    __m512 j = _mm512_fmadd_ps(c, _mm512_set1_ps(1.44269504f), shifter);
    __m512 n = _mm512_sub_ps(j, shifter);
    __m512 r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.1219444e-4f), _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), c));
    __m512 p = _mm512_set1_ps(1.98756915e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1));
    __m512i half = _mm512_slli_epi32(_mm512_add_epi32(_mm512_castps_si512(j), _mm512_set1_epi32(126 - 0x4B400000)), 23);
    __m512 y = _mm512_mul_ps(_mm512_mul_ps(p, _mm512_castsi512_ps(half)), _mm512_set1_ps(2));
    y = _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, low, _CMP_LT_OQ), _mm512_setzero_ps());
    return _mm512_mask_mov_ps(y, _mm512_cmp_ps_mask(x, high, _CMP_GT_OQ), _mm512_set1_ps(INFINITY));
}

// Rows i0…i0+rows−1 (rows ≤ 6) of P = softmax(scale · Q Kᵀ) for tk ≤ 64 keys:
// the scores stay in registers from the product to the stored
// probabilities. kt is Kᵀ (d × tk); a causal row i keeps keys 0…i; every
// row is written whole (zeros past its last key).
AVX512 static inline __attribute__((always_inline)) void softmax_block(
    int nv, size_t rows, size_t i0, size_t tk, size_t cols, int causal, size_t d, float scale, const float *q,
    size_t ldq, const float *kt, float *p) {
    __m512 acc[ROWS][VECTORS];
    __mmask16 mask[VECTORS];
    column_masks(nv, cols, mask);
    accumulate(nv, rows, mask, 0, d, q + i0 * ldq, ldq, 1, kt, tk, acc);
    const __m512 lanes = _mm512_setr_ps(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 minus_infinity = _mm512_set1_ps(-INFINITY);
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        if ((size_t)r >= rows) break;
        size_t i = i0 + r, limit = causal ? min_size(i + 1, tk) : tk;
        __m512 s[VECTORS], top = minus_infinity;
#pragma unroll
        for (int v = 0; v < nv; v++) {
            __mmask16 kept = _mm512_cmp_ps_mask(_mm512_add_ps(lanes, _mm512_set1_ps((float)(16 * v))),
                                                _mm512_set1_ps((float)limit), _CMP_LT_OQ);
            s[v] = _mm512_mask_mul_ps(minus_infinity, kept, acc[r][v], _mm512_set1_ps(scale));
            top = _mm512_max_ps(top, s[v]);
        }
        __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(top)), total = _mm512_setzero_ps();
#pragma unroll
        for (int v = 0; v < nv; v++) {
            s[v] = exp_lanes(_mm512_sub_ps(s[v], m));
            total = _mm512_add_ps(total, s[v]);
        }
        __m512 inv = _mm512_set1_ps(1 / _mm512_reduce_add_ps(total));
        float *row = p + i * tk;
#pragma unroll
        for (int v = 0; v < nv; v++) _mm512_mask_storeu_ps(row + 16 * v, mask[v], _mm512_mul_ps(s[v], inv));
        for (size_t j = cols; j < tk; j++) row[j] = 0;
    }
}

// Rows i0…i0+rows−1 (rows ≤ 6) of dS = P ⊙ (dP − rowsum(P ⊙ dP)) with
// dP = dO Vᵀ, for tk ≤ 64 keys: dP stays in registers from the product to
// the stored dS. vt is Vᵀ (dv × tk); a causal row i keeps keys 0…i; every
// row is written whole (zeros past its last key).
AVX512 static inline __attribute__((always_inline)) void softmax_backward_block(
    int nv, size_t rows, size_t i0, size_t tk, size_t cols, int causal, size_t dv, const float *go, size_t ldgo,
    const float *vt, const float *p, float *ds) {
    __m512 acc[ROWS][VECTORS];
    __mmask16 mask[VECTORS];
    column_masks(nv, cols, mask);
    accumulate(nv, rows, mask, 0, dv, go + i0 * ldgo, ldgo, 1, vt, tk, acc);
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        if ((size_t)r >= rows) break;
        size_t i = i0 + r, limit = causal ? min_size(i + 1, tk) : tk;
        const float *pr = p + i * tk;
        float *row = ds + i * tk;
        __m512 pv[VECTORS], dot = _mm512_setzero_ps();
        __mmask16 kept[VECTORS];
        column_masks(nv, limit, kept);
#pragma unroll
        for (int v = 0; v < nv; v++) {
            pv[v] = _mm512_maskz_loadu_ps(kept[v], pr + 16 * v);
            dot = _mm512_add_ps(dot, _mm512_maskz_mul_ps(kept[v], pv[v], acc[r][v]));
        }
        __m512 total = _mm512_set1_ps(_mm512_reduce_add_ps(dot));
#pragma unroll
        for (int v = 0; v < nv; v++)
            _mm512_mask_storeu_ps(row + 16 * v, mask[v],
                                  _mm512_maskz_mul_ps(kept[v], pv[v], _mm512_sub_ps(acc[r][v], total)));
        for (size_t j = cols; j < tk; j++) row[j] = 0;
    }
}

// dS row by row for tk ≤ 64 (see softmax_backward_block).
AVX512 static void scores_softmax_backward(size_t tq, size_t tk, size_t dv, int causal, const float *go, size_t ldgo,
                                           const float *vt, const float *p, float *ds) {
    for (size_t i0 = 0; i0 < tq; i0 += ROWS) {
        size_t rows = min_size(ROWS, tq - i0), cols = causal ? min_size(i0 + rows, tk) : tk;
#define GRADIENT_ROWS(nv) softmax_backward_block(nv, rows, i0, tk, cols, causal, dv, go, ldgo, vt, p, ds)
        BY_VECTORS(cols, GRADIENT_ROWS);
#undef GRADIENT_ROWS
    }
}

// P = softmax(scale · Q Kᵀ) row by row for tk ≤ 64 (see softmax_block).
AVX512 static void scores_softmax(size_t tq, size_t tk, size_t d, float scale, int causal, const float *q, size_t ldq,
                                  const float *kt, float *p) {
    for (size_t i0 = 0; i0 < tq; i0 += ROWS) {
        size_t rows = min_size(ROWS, tq - i0), cols = causal ? min_size(i0 + rows, tk) : tk;
#define PROBABILITY_ROWS(nv) softmax_block(nv, rows, i0, tk, cols, causal, d, scale, q, ldq, kt, p)
        BY_VECTORS(cols, PROBABILITY_ROWS);
#undef PROBABILITY_ROWS
    }
}

// C = alpha · A B (m × n, inner k), or the part of it `part` says.
AVX512 static void product(size_t m, size_t n, size_t k, float alpha, const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
                           const float *b, size_t ldb, float *c, size_t ldc, triangle part) {
    for (size_t i0 = 0; i0 < m; i0 += ROWS) {
        size_t rows = min_size(ROWS, m - i0);
        size_t p_lo = part == INNER_FROM_ROW ? min_size(i0, k) : 0;
        size_t p_hi = part == INNER_UP_TO_ROW ? min_size(i0 + rows, k) : k;
        size_t cols = part == COLUMNS_UP_TO_ROW ? min_size(i0 + rows, n) : n;
        const float *ai = a + (ptrdiff_t)i0 * a_row;
        for (size_t j0 = 0; j0 < cols; j0 += WIDTH) {
            size_t nc = min_size(WIDTH, cols - j0);
            float *cij = c + i0 * ldc + j0;
#define PRODUCT_ROWS(nv) block(nv, rows, nc, p_lo, p_hi, alpha, ai, a_row, a_col, b + j0, ldb, cij, ldc)
            BY_VECTORS(nc, PRODUCT_ROWS);
#undef PRODUCT_ROWS
        }
    }
}

#else

// Elsewhere: the same product as plain loops (callers use BLAS instead where
// dvs_gemm_available says the CPU lacks AVX-512).
static void product(size_t m, size_t n, size_t k, float alpha, const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
                    const float *b, size_t ldb, float *c, size_t ldc, triangle part) {
    for (size_t i = 0; i < m; i++) {
        size_t p_lo = part == INNER_FROM_ROW ? min_size(i, k) : 0;
        size_t p_hi = part == INNER_UP_TO_ROW ? min_size(i + 1, k) : k;
        size_t cols = part == COLUMNS_UP_TO_ROW ? min_size(i + 1, n) : n;
        for (size_t j = 0; j < cols; j++) {
            float sum = 0;
            for (size_t p = p_lo; p < p_hi; p++) sum += a[(ptrdiff_t)i * a_row + (ptrdiff_t)p * a_col] * b[p * ldb + j];
            c[i * ldc + j] = alpha * sum;
        }
    }
}

#endif

void dvs_prefetch_rows(const float *x, size_t ld, size_t rows, size_t cols) {
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j += 16) __builtin_prefetch(x + i * ld + j, 0, 3);
}

// out (cols × rows, row-major) = the transpose of x (rows × cols, leading dimension ld).
static void transpose(const float *x, size_t ld, size_t rows, size_t cols, float *out) {
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) out[j * rows + i] = x[i * ld + j];
}

AVX512 void dvs_attention_head_forward(size_t tq, size_t tk, size_t d, size_t dv, float scale, int causal,
                                       const float *q, size_t ldq, const float *k, size_t ldk, const float *v,
                                       size_t ldv, float *p, float *o, size_t ldo, float *scratch) {
    transpose(k, ldk, tk, d, scratch);
#if defined(__x86_64__)
    if (tk <= WIDTH) {
        scores_softmax(tq, tk, d, scale, causal, q, ldq, scratch, p);
    } else
#endif
    {
        product(tq, tk, d, scale, q, ldq, 1, scratch, tk, p, tk, causal ? COLUMNS_UP_TO_ROW : ALL);
        dvs_softmax_prefix_rows(p, tq, tk, causal);
    }
    product(tq, dv, tk, 1, p, tk, 1, v, ldv, o, ldo, causal ? INNER_UP_TO_ROW : ALL);
}

AVX512 void dvs_attention_head_backward(size_t tq, size_t tk, size_t d, size_t dv, float scale, int causal,
                                        const float *p, const float *go, size_t ldgo, const float *q, size_t ldq,
                                        const float *k, size_t ldk, const float *v, size_t ldv, float *dq,
                                        size_t lddq, float *dk, size_t lddk, float *dvalues, size_t lddv,
                                        float *scratch) {
    if (dvalues) product(tk, dv, tq, 1, p, 1, tk, go, ldgo, dvalues, lddv, causal ? INNER_FROM_ROW : ALL);
    if (!dq && !dk) return;
    float *ds = scratch, *vt = scratch + tq * tk;
    transpose(v, ldv, tk, dv, vt);
#if defined(__x86_64__)
    if (tk <= WIDTH) {
        scores_softmax_backward(tq, tk, dv, causal, go, ldgo, vt, p, ds);
    } else
#endif
    {
        product(tq, tk, dv, 1, go, ldgo, 1, vt, tk, ds, tk, causal ? COLUMNS_UP_TO_ROW : ALL);
        dvs_softmax_backward_prefix_rows(p, ds, tq, tk, causal);
    }
    if (dq) product(tq, d, tk, scale, ds, tk, 1, k, ldk, dq, lddq, causal ? INNER_UP_TO_ROW : ALL);
    if (dk) product(tk, d, tq, scale, ds, 1, tk, q, ldq, dk, lddk, causal ? INNER_FROM_ROW : ALL);
}
