#include "DVSKernels.h"
#include "VectorExp.h"

// No contraction into fused multiply-adds: each product and sum is rounded
// as in PyTorch's kernels, so the update is the same bits.
#pragma clang fp contract(off)

DVS_VECTOR_CLONES
void dvs_adamw_update(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, size_t n,
                      const dvs_adamw_constants *c) {
    const float decay_factor = c->decay ? c->decay_factor : 1;
    const float w = c->w, one_minus_w = c->one_minus_w, b2 = c->beta2, c2 = c->one_minus_beta2;
    const float step = c->neg_step_size, bc2 = c->bias_correction2_sqrt, eps = c->eps;
    const int small = c->small_weight, decay = c->decay;
    for (size_t j = 0; j < n; j++) {
        float pj = p[j];
        if (decay) pj = pj * decay_factor;
        float gj = g[j];
        float mj = m[j];
        mj = small ? mj + w * (gj - mj) : gj - (gj - mj) * one_minus_w;
        float vj = v[j] * b2;
        vj = vj + c2 * gj * gj;
        float denom = __builtin_sqrtf(vj) / bc2 + eps;
        pj = pj + step * mj / denom;
        m[j] = mj;
        v[j] = vj;
        p[j] = pj;
    }
}
