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

DVS_VECTOR_CLONES
void dvs_softmax_prefix_rows(float *s, size_t rows, size_t cols, int causal) {
    for (size_t i = 0; i < rows; i++) {
        float *row = s + i * cols;
        size_t limit = causal ? (i + 1 < cols ? i + 1 : cols) : cols;
        // The row's maximum, then e^(x − max) and their sum, sixteen lanes at
        // a time; the last partial vector is padded with −inf (e^−inf = 0).
        float top[16];
        for (int k = 0; k < 16; k++) top[k] = -INFINITY;
        for (size_t j = 0; j < limit; j += 16)
            for (int k = 0; k < 16; k++) {
                float v = j + k < limit ? row[j + k] : -INFINITY;
                top[k] = v > top[k] ? v : top[k];
            }
        float m = -INFINITY;
        for (int k = 0; k < 16; k++) m = top[k] > m ? top[k] : m;
        float partial[16] = {0};
        for (size_t j = 0; j < limit; j += 16)
            for (int k = 0; k < 16; k++) {
                float e = j + k < limit ? dvs_vexp(row[j + k] - m) : 0;
                if (j + k < limit) row[j + k] = e;
                partial[k] += e;
            }
        float sum = 0;
        for (int k = 0; k < 16; k++) sum += partial[k];
        float inv = 1 / sum;
        for (size_t j = 0; j < limit; j++) row[j] *= inv;
        for (size_t j = limit; j < cols; j++) row[j] = 0;
    }
}
