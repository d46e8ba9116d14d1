// Opens libzmq on first use and forwards each zmq_* call DVS makes to it (see
// include/CZeroMQ.h for why).
#include "CZeroMQ.h"
#include "CLibraryLoader.h"
#include <dlfcn.h>

// Each function DVS calls: X(return type, name, (parameters), (arguments)).
#define DVS_ZMQ_FUNCTIONS(X) \
    X(void *, zmq_ctx_new, (void), ()) \
    X(int, zmq_ctx_term, (void *context), (context)) \
    X(void *, zmq_socket, (void *context, int type), (context, type)) \
    X(int, zmq_close, (void *socket), (socket)) \
    X(int, zmq_bind, (void *socket, const char *endpoint), (socket, endpoint)) \
    X(int, zmq_setsockopt, (void *socket, int option, const void *value, size_t length), \
      (socket, option, value, length)) \
    X(int, zmq_getsockopt, (void *socket, int option, void *value, size_t *length), (socket, option, value, length)) \
    X(int, zmq_send, (void *socket, const void *buffer, size_t length, int flags), (socket, buffer, length, flags)) \
    X(int, zmq_poll, (zmq_pollitem_t *items, int count, long timeout), (items, count, timeout)) \
    X(int, zmq_msg_init, (zmq_msg_t *message), (message)) \
    X(int, zmq_msg_recv, (zmq_msg_t *message, void *socket, int flags), (message, socket, flags)) \
    X(void *, zmq_msg_data, (zmq_msg_t *message), (message)) \
    X(size_t, zmq_msg_size, (const zmq_msg_t *message), (message)) \
    X(int, zmq_msg_more, (const zmq_msg_t *message), (message)) \
    X(int, zmq_msg_close, (zmq_msg_t *message), (message)) \
    X(int, zmq_errno, (void), ()) \
    X(const char *, zmq_strerror, (int error), (error))

DVS_LIBRARY_DEFINE(DVS_ZMQ_FUNCTIONS, NULL, RTLD_LOCAL, "libzmq.so.5", "libzmq.so")
DVS_ZMQ_FUNCTIONS(DVS_LIBRARY_FORWARD)

const char *dvs_zmq_open(void) { return dvs_library_open(&library); }
