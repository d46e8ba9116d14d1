#ifndef DVS_CZEROMQ_SHIM_H
#define DVS_CZEROMQ_SHIM_H
// libzmq (ZeroMQ 4.3, Debian's libzmq3-dev) for the Jupyter kernel's sockets.
// Swift imports the integer macros (ZMQ_ROUTER, ZMQ_SNDMORE…) and zmq_msg_t as they are.
#include <zmq.h>
#endif
