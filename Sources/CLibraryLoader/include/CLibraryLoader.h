#ifndef DVS_CLIBRARYLOADER_H
#define DVS_CLIBRARYLOADER_H
// C libraries that most runs of `dvs` never call (Tesseract, ZeroMQ, libcrypto,
// Cairo, Graphviz) are opened with dlopen on first use instead of being linked:
// each linked library and its dependencies cost start-up time in every run.
// A loader target lists the functions DVS calls once, as an X-macro
// `X(return type, name, (parameters), (arguments))`, and gets from the macros
// below a pointer per function, a forwarding function and the table
// `dvs_library_open` fills.
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/// One library opened on first use and the functions looked up in it.
struct dvs_library {
    /// The names to try in order (NULL-terminated): the soname first.
    const char *const *sonames;
    /// An environment variable that, when set, names the library to open
    /// instead (NULL: none).
    const char *override_variable;
    /// RTLD_LOCAL, or RTLD_GLOBAL when the library's own plug-ins look
    /// symbols up in the global scope.
    int mode;
    const char *const *symbols;
    void **const *slots;
    size_t count;
    // State, zero-initialized: 0 not tried, 1 loaded, 2 failed.
    atomic_int state;
    pthread_mutex_t lock;
    char failure[512];
};

/// Opens the library and resolves every symbol, once (thread-safe): NULL on
/// success, else why not (a string that stays valid).
const char *dvs_library_open(struct dvs_library *library);

/// `dvs_library_open`, for forwarding functions: callers check with the
/// library's open function first, so a failure here is a bug in DVS; it is
/// reported on stderr and the process aborts rather than calling NULL.
void dvs_library_require(struct dvs_library *library);

#define DVS_LIBRARY_POINTER(ret, name, params, args) static ret(*p_##name) params;
#define DVS_LIBRARY_SYMBOL(ret, name, params, args) #name,
#define DVS_LIBRARY_SLOT(ret, name, params, args) (void **)&p_##name,
/// A function of the library's own name that forwards to it (the library's
/// header declares it, so the compiler checks the signature).
#define DVS_LIBRARY_FORWARD(ret, name, params, args) \
    ret name params {                                 \
        dvs_library_require(&library);                \
        return p_##name args;                         \
    }
/// The same with a `dvs_` prefix, for functions DVS declares itself.
#define DVS_LIBRARY_FORWARD_PREFIXED(ret, name, params, args) \
    ret dvs_##name params {                                   \
        dvs_library_require(&library);                        \
        return p_##name args;                                 \
    }

/// Defines the pointers, the symbol table and `static struct dvs_library
/// library` for FUNCTIONS, opened from the given sonames with `mode`.
#define DVS_LIBRARY_DEFINE(FUNCTIONS, override, open_mode, ...)                              \
    FUNCTIONS(DVS_LIBRARY_POINTER)                                                          \
    static const char *const library_symbols[] = {FUNCTIONS(DVS_LIBRARY_SYMBOL)};          \
    static void **const library_slots[] = {FUNCTIONS(DVS_LIBRARY_SLOT)};                    \
    static const char *const library_sonames[] = {__VA_ARGS__, NULL};                       \
    static struct dvs_library library = {                                                   \
        .sonames = library_sonames,                                                         \
        .override_variable = override,                                                      \
        .mode = open_mode,                                                                  \
        .symbols = library_symbols,                                                         \
        .slots = library_slots,                                                             \
        .count = sizeof library_symbols / sizeof library_symbols[0],                        \
        .lock = PTHREAD_MUTEX_INITIALIZER,                                                  \
    };

#endif
