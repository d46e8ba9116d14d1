// The training-size single-precision product (see dvs_gemm in DVSKernels.h).
//
// BLIS's loop structure with one operand packed: B is copied in blocks of
// KC × NC into panels of KC × 32 (zero padded on the right), A is read in
// place by broadcasting one element at a time, so A may be transposed for
// free (its stride pair says so) and is never copied. The micro-kernel keeps
// a 12 × 32 tile of C in 24 AVX-512 registers and writes it once per KC
// block: overwrite with the bias (or zero) added, or accumulate. Each tile
// prefetches its C rows and the next tile's A rows: in training both come
// from L3 (activations are written by one op and read by the next), and
// these prefetches make the step's products 4–8% faster from cold caches.
//
// Why: OpenBLAS repacks both operands on every call. For the products of
// training (one operand of 1–4 K rows of activations, the other ≤ 512 wide)
// skipping A's copy, the bias copy and the β = 0 zero pass makes the whole
// step's products ~9% faster (docs/BENCHMARKS.md, "Own product kernel").
#include "DVSKernels.h"

#include <pthread.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>

enum { MR = 12, NR = 32, KC = 256, MC = 240, NC = 1024 };

#define AVX512 __attribute__((target("avx512f")))

// The masks of the two 16-lane halves of a row of `nr` ≤ 32 columns.
AVX512 static inline __mmask16 low_mask(size_t nr) { return nr >= 16 ? 0xffff : (__mmask16)((1u << nr) - 1); }
AVX512 static inline __mmask16 high_mask(size_t nr) {
    return nr >= 32 ? 0xffff : nr <= 16 ? 0 : (__mmask16)((1u << (nr - 16)) - 1);
}

// B(p, j) for p < kc, j < nr into `kc` rows of 32 (columns nr..<32 zero).
AVX512 static void pack_panel(const float *b, ptrdiff_t b_row, ptrdiff_t b_col, size_t kc, size_t nr, float *out) {
    if (b_col == 1) {
        __mmask16 m0 = low_mask(nr), m1 = high_mask(nr);
        for (size_t p = 0; p < kc; p++, out += NR) {
            const float *row = b + (ptrdiff_t)p * b_row;
            _mm512_store_ps(out, _mm512_maskz_loadu_ps(m0, row));
            _mm512_store_ps(out + 16, _mm512_maskz_loadu_ps(m1, row + 16));
        }
        return;
    }
    // Transposed B: read each column of the panel along its contiguous run.
    for (size_t j = 0; j < NR; j++) {
        if (j >= nr) {
            for (size_t p = 0; p < kc; p++) out[p * NR + j] = 0;
            continue;
        }
        const float *column = b + (ptrdiff_t)j * b_col;
        for (size_t p = 0; p < kc; p++) out[p * NR + j] = column[(ptrdiff_t)p * b_row];
    }
}

// One tile of `rows` ≤ 12 rows × `nr` ≤ 32 columns of C over kc steps of the
// inner dimension. `rows` is a constant in each caller below and the row
// loops unroll fully (also at -O2), so the accumulators stay in registers.
AVX512 static inline __attribute__((always_inline)) void tile(
    int rows, size_t kc, const float *a, ptrdiff_t a_row, ptrdiff_t a_col, const float *panel, float *c, size_t ldc,
    size_t nr, float alpha, int load_c, const float *bias) {
    __m512 acc0[MR], acc1[MR];
#pragma unroll
    for (int r = 0; r < rows; r++) {
        acc0[r] = acc1[r] = _mm512_setzero_ps();
        __builtin_prefetch(c + r * ldc, 1, 3);
        __builtin_prefetch(c + r * ldc + 16, 1, 3);
    }
    for (size_t p = 0; p < kc; p++, panel += NR) {
        __m512 b0 = _mm512_load_ps(panel), b1 = _mm512_load_ps(panel + 16);
        const float *ap = a + (ptrdiff_t)p * a_col;
        if (a_col != 1) _mm_prefetch((const char *)(ap + rows * a_row), _MM_HINT_T0);
        else if (p % 16 == 0) {
#pragma unroll
            for (int r = 0; r < rows; r++) _mm_prefetch((const char *)(ap + (rows + r) * a_row), _MM_HINT_T0);
        }
#pragma unroll
        for (int r = 0; r < rows; r++) {
            __m512 av = _mm512_set1_ps(ap[r * a_row]);
            acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);
            acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);
        }
    }
    __mmask16 m0 = low_mask(nr), m1 = high_mask(nr);
    __m512 base0 = _mm512_setzero_ps(), base1 = _mm512_setzero_ps(), scale = _mm512_set1_ps(alpha);
    if (bias && !load_c) {
        base0 = _mm512_maskz_loadu_ps(m0, bias);
        base1 = _mm512_maskz_loadu_ps(m1, bias + 16);
    }
#pragma unroll
    for (int r = 0; r < rows; r++) {
        float *row = c + r * ldc;
        __m512 x0 = load_c ? _mm512_maskz_loadu_ps(m0, row) : base0;
        __m512 x1 = load_c ? _mm512_maskz_loadu_ps(m1, row + 16) : base1;
        if (alpha != 1) {
            acc0[r] = _mm512_mul_ps(acc0[r], scale);
            acc1[r] = _mm512_mul_ps(acc1[r], scale);
        }
        _mm512_mask_storeu_ps(row, m0, _mm512_add_ps(x0, acc0[r]));
        _mm512_mask_storeu_ps(row + 16, m1, _mm512_add_ps(x1, acc1[r]));
    }
}

typedef void (*tile_function)(size_t, const float *, ptrdiff_t, ptrdiff_t, const float *, float *, size_t, size_t, float,
                              int, const float *);
#define TILE(R)                                                                                                       \
    AVX512 static void tile_##R(size_t kc, const float *a, ptrdiff_t a_row, ptrdiff_t a_col, const float *panel,      \
                                float *c, size_t ldc, size_t nr, float alpha, int load_c, const float *bias) {        \
        tile(R, kc, a, a_row, a_col, panel, c, ldc, nr, alpha, load_c, bias);                                         \
    }
TILE(1) TILE(2) TILE(3) TILE(4) TILE(5) TILE(6) TILE(7) TILE(8) TILE(9) TILE(10) TILE(11) TILE(12)
#undef TILE
static const tile_function tiles[MR + 1] = {NULL,   tile_1, tile_2, tile_3,  tile_4,  tile_5, tile_6,
                                            tile_7, tile_8, tile_9, tile_10, tile_11, tile_12};

// Each thread's packing buffer (KC × NC floats, 1 MiB), kept for the
// thread's life and freed when it ends.
static pthread_key_t packing_key;
static pthread_once_t packing_key_once = PTHREAD_ONCE_INIT;
static void make_packing_key(void) { pthread_key_create(&packing_key, free); }

static float *packing_buffer(void) {
    pthread_once(&packing_key_once, make_packing_key);
    float *buffer = pthread_getspecific(packing_key);
    if (!buffer && (buffer = aligned_alloc(64, (size_t)KC * NC * sizeof(float))) && pthread_setspecific(packing_key, buffer)) {
        free(buffer);
        buffer = NULL;
    }
    return buffer;
}

int dvs_gemm_available(void) { return __builtin_cpu_supports("avx512f"); }

AVX512 int dvs_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
                    const float *b, ptrdiff_t b_row, ptrdiff_t b_col, float *c, size_t ldc, int accumulate,
                    const float *bias) {
    float *packed_b = packing_buffer();
    if (!packed_b) return -1;
    for (size_t j0 = 0; j0 < n; j0 += NC) {
        size_t nc = n - j0 < NC ? n - j0 : NC;
        for (size_t p0 = 0; p0 < k; p0 += KC) {
            size_t kc = k - p0 < KC ? k - p0 : KC;
            for (size_t jp = 0; jp * NR < nc; jp++) {
                size_t nr = nc - jp * NR < NR ? nc - jp * NR : NR;
                pack_panel(b + (ptrdiff_t)p0 * b_row + (ptrdiff_t)(j0 + jp * NR) * b_col, b_row, b_col, kc, nr,
                           packed_b + jp * NR * kc);
            }
            int load_c = accumulate || p0 > 0;
            for (size_t i0 = 0; i0 < m; i0 += MC) {
                size_t mc = m - i0 < MC ? m - i0 : MC;
                for (size_t jp = 0; jp * NR < nc; jp++) {
                    size_t j = j0 + jp * NR, nr = nc - jp * NR < NR ? nc - jp * NR : NR;
                    for (size_t i = i0; i < i0 + mc; i += MR) {
                        size_t mr = i0 + mc - i < MR ? i0 + mc - i : MR;
                        tiles[mr](kc, a + (ptrdiff_t)i * a_row + (ptrdiff_t)p0 * a_col, a_row, a_col,
                                  packed_b + jp * NR * kc, c + i * ldc + j, ldc, nr, alpha, load_c,
                                  bias ? bias + j : NULL);
                    }
                }
            }
        }
    }
    return 0;
}

#else

int dvs_gemm_available(void) { return 0; }

int dvs_gemm(size_t m, size_t n, size_t k, float alpha, const float *a, ptrdiff_t a_row, ptrdiff_t a_col,
             const float *b, ptrdiff_t b_row, ptrdiff_t b_col, float *c, size_t ldc, int accumulate,
             const float *bias) {
    return -1;
}

#endif
