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

#endif
