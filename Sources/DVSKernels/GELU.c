#include "DVSKernels.h"
#include "VectorExp.h"

// gelu(x) = ½x(1 + tanh u) = x·s with s = σ(2u) = ½(1 + tanh u), and
// gelu'(x) = s + 2x·s(1 − s)·u', u' = √(2/π)(1 + 3·0.044715x²).
static const float scale = 0.7978845608028654f;  // √(2/π)
static const float cubic = 0.044715f;

DVS_VECTOR_CLONES
void dvs_gelu_forward(const float *restrict x, float *restrict y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = scale * (v + cubic * v * v * v);
        y[i] = v / (1 + dvs_vexp(-2 * u));
    }
}

DVS_VECTOR_CLONES
void dvs_gelu_backward(const float *restrict x, const float *restrict dy, float *restrict dx, size_t n) {
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        float u = scale * (v + cubic * v * v * v);
        float s = 1 / (1 + dvs_vexp(-2 * u));
        float du = scale * (1 + 3 * cubic * v * v);
        dx[i] = dy[i] * (s + 2 * v * s * (1 - s) * du);
    }
}
