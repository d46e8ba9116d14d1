#ifndef DVS_CZEROMQ_H
#define DVS_CZEROMQ_H
// libzmq (ZeroMQ 4.3, Debian's libzmq5; headers from libzmq3-dev) for the
// Jupyter kernel's sockets. Only `dvs kernel` uses it, and libzmq with its
// dependencies (libstdc++, libsodium, libpgm, libnorm, Kerberos…) costs ~2 ms
// at every start when linked, so it is opened on first use: the functions
// Swift calls are zmq.h's own, forwarded (Loader.c). Call `dvs_zmq_open`
// first; Swift imports the integer macros (ZMQ_ROUTER, ZMQ_SNDMORE…) and
// zmq_msg_t as they are.
#include <zmq.h>

/// Loads libzmq once (thread-safe): NULL when every function DVS calls is
/// available, else why not (a string that stays valid).
const char *dvs_zmq_open(void);

#endif
