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
// products that read them.
#include "DVSKernels.h"

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

// C(i, j) = alpha · Σ_{p_lo ≤ p < p_hi} A(i, p) B(p, j) for `rows` ≤ 6 rows and
// `nc` ≤ 16·nv columns; A(i, p) at a[i·a_row + p·a_col], B row-major. nv is a
// constant in each call, so the accumulators stay in registers; missing rows
// repeat the last one and are not stored.
AVX512 static inline __attribute__((always_inline)) void block(
    int nv, size_t rows, size_t nc, size_t p_lo, size_t p_hi, float alpha, const float *a, ptrdiff_t a_row,
    ptrdiff_t a_col, const float *b, size_t ldb, float *c, size_t ldc) {
    __m512 acc[ROWS][VECTORS];
    const float *row_of[ROWS];
    __mmask16 mask[VECTORS];
#pragma unroll
    for (int v = 0; v < nv; v++) {
        size_t left = nc > (size_t)(16 * v) ? nc - 16 * v : 0;
        mask[v] = left >= 16 ? 0xffff : (__mmask16)((1u << left) - 1);
    }
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
    __m512 scale = _mm512_set1_ps(alpha);
#pragma unroll
    for (int r = 0; r < ROWS; r++) {
        if ((size_t)r >= rows) break;
#pragma unroll
        for (int v = 0; v < nv; v++)
            _mm512_mask_storeu_ps(c + r * ldc + 16 * v, mask[v], _mm512_mul_ps(acc[r][v], scale));
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
            switch ((nc + 15) / 16) {
            case 1: block(1, rows, nc, p_lo, p_hi, alpha, ai, a_row, a_col, b + j0, ldb, cij, ldc); break;
            case 2: block(2, rows, nc, p_lo, p_hi, alpha, ai, a_row, a_col, b + j0, ldb, cij, ldc); break;
            case 3: block(3, rows, nc, p_lo, p_hi, alpha, ai, a_row, a_col, b + j0, ldb, cij, ldc); break;
            default: block(4, rows, nc, p_lo, p_hi, alpha, ai, a_row, a_col, b + j0, ldb, cij, ldc); break;
            }
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

// out (cols × rows, row-major) = the transpose of x (rows × cols, leading dimension ld).
static void transpose(const float *x, size_t ld, size_t rows, size_t cols, float *out) {
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) out[j * rows + i] = x[i * ld + j];
}

AVX512 void dvs_attention_head_forward(size_t tq, size_t tk, size_t d, size_t dv, float scale, int causal,
                                       const float *q, size_t ldq, const float *k, size_t ldk, const float *v,
                                       size_t ldv, float *p, float *o, size_t ldo, float *scratch) {
    transpose(k, ldk, tk, d, scratch);
    product(tq, tk, d, scale, q, ldq, 1, scratch, tk, p, tk, causal ? COLUMNS_UP_TO_ROW : ALL);
    dvs_softmax_prefix_rows(p, tq, tk, causal);
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
    product(tq, tk, dv, 1, go, ldgo, 1, vt, tk, ds, tk, causal ? COLUMNS_UP_TO_ROW : ALL);
    dvs_softmax_backward_prefix_rows(p, ds, tq, tk, causal);
    if (dq) product(tq, d, tk, scale, ds, tk, 1, k, ldk, dq, lddq, causal ? INNER_UP_TO_ROW : ALL);
    if (dk) product(tk, d, tq, scale, ds, 1, tk, q, ldq, dk, lddk, causal ? INNER_FROM_ROW : ALL);
}
