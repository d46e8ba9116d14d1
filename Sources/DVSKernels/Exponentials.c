#include "DVSKernels.h"
#include "VectorExp.h"

DVS_VECTOR_CLONES
float dvs_exp_shifted_sum(const float *x, float *y, size_t n, float shift) {
    // Sixteen partial sums: the loop vectorizes without reassociating floats.
    float partial[16] = {0};
    size_t j = 0;
    for (; j + 16 <= n; j += 16) {
        for (int k = 0; k < 16; k++) {
            float e = dvs_vexp(x[j + k] - shift);
            y[j + k] = e;
            partial[k] += e;
        }
    }
    float sum = 0;
    for (int k = 0; k < 16; k++) sum += partial[k];
    for (; j < n; j++) {
        float e = dvs_vexp(x[j] - shift);
        y[j] = e;
        sum += e;
    }
    return sum;
}

DVS_VECTOR_CLONES
void dvs_scaled_exp(const float *x, float *y, size_t n, float shift, float scale) {
    for (size_t j = 0; j < n; j++) y[j] = scale * dvs_vexp(x[j] - shift);
}
