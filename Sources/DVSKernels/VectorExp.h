// e^x in float to about 1 ulp (the Cephes expf polynomial), branch-free so
// loops calling it vectorize; the same algorithm as DVSTensor's Swift `vexp`.
#ifndef DVS_VECTOR_EXP_H
#define DVS_VECTOR_EXP_H

#include <math.h>
#include <stdint.h>
#include <string.h>

// Compiles a loop for AVX-512, AVX2+FMA and baseline, chosen at load time.
#if defined(__x86_64__)
#define DVS_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define DVS_VECTOR_CLONES
#endif

static inline float dvs_vexp(float x) {
    const float low = -86.6f, high = 88.72f;
    float c = x < low ? low : (x > high ? high : x);
    // n = round(x / ln 2) by the 1.5·2^23 trick; n's bits are then readable.
    const float shifter = 12582912.0f;
    float j = c * 1.44269504f + shifter;
    float n = j - shifter;
    float r = c - n * 0.693359375f + n * 2.1219444e-4f;
    float p = 1.98756915e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1;
    // 2^(n−1) built in the exponent bits, times 2.
    int32_t bits;
    memcpy(&bits, &j, sizeof bits);
    int32_t half_bits = (int32_t)((uint32_t)(bits - 0x4B400000 + 126) << 23);
    float half;
    memcpy(&half, &half_bits, sizeof half);
    float y = p * half * 2;
    return x < low ? 0 : (x > high ? INFINITY : y);
}

#endif
