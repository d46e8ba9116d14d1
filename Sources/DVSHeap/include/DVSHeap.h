// DVSHeap: how glibc's malloc is tuned for tensors, applied when the program
// loads (before any thread allocates). Nothing to call: linking it is enough.
#ifndef DVS_HEAP_H
#define DVS_HEAP_H

/// Whether the tuning was applied (1) — for tests and diagnostics.
int dvs_heap_policy_applied(void);

#endif
