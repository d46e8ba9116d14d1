// Opens a library on first use and resolves its functions (see
// include/CLibraryLoader.h).
#include "CLibraryLoader.h"
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static void load(struct dvs_library *library) {
    void *handle = NULL;
    const char *chosen = library->override_variable ? getenv(library->override_variable) : NULL;
    if (chosen && *chosen) {
        handle = dlopen(chosen, RTLD_NOW | library->mode);
        if (!handle) {
            snprintf(library->failure, sizeof library->failure, "cannot load %s=%s (%s)",
                     library->override_variable, chosen, dlerror());
            return;
        }
    } else {
        for (const char *const *name = library->sonames; *name && !handle; name++)
            handle = dlopen(*name, RTLD_NOW | library->mode);
        if (!handle) {
            // dlerror() describes the last attempt; name the first (the soname).
            snprintf(library->failure, sizeof library->failure, "cannot load %s (%s)", library->sonames[0],
                     dlerror());
            return;
        }
    }
    for (size_t i = 0; i < library->count; i++) {
        *library->slots[i] = dlsym(handle, library->symbols[i]);
        if (!*library->slots[i]) {
            snprintf(library->failure, sizeof library->failure, "%s has no function %s", library->sonames[0],
                     library->symbols[i]);
            return;
        }
    }
}

const char *dvs_library_open(struct dvs_library *library) {
    int state = atomic_load_explicit(&library->state, memory_order_acquire);
    if (state == 0) {
        pthread_mutex_lock(&library->lock);
        state = atomic_load_explicit(&library->state, memory_order_relaxed);
        if (state == 0) {
            load(library);
            state = library->failure[0] ? 2 : 1;
            atomic_store_explicit(&library->state, state, memory_order_release);
        }
        pthread_mutex_unlock(&library->lock);
    }
    return state == 1 ? NULL : library->failure;
}

void dvs_library_require(struct dvs_library *library) {
    const char *failure = dvs_library_open(library);
    if (failure) {
        fprintf(stderr, "dvs: internal error: a function of %s was called before the library was checked: %s\n",
                library->sonames[0], failure);
        abort();
    }
}
