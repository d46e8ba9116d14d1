#ifndef DVS_CLIBCRYPTO_H
#define DVS_CLIBCRYPTO_H
// OpenSSL 3's libcrypto (Debian's libssl3; headers from libssl-dev): the
// one-shot HMAC() and the constant-time CRYPTO_memcmp that sign Jupyter
// messages, and the EVP digests (SHA-256 of tokenizer files in shard
// manifests). Only libcrypto is used, not libssl. It costs ~1 ms at every
// start when linked and few runs need it, so it is opened on first use: the
// functions Swift calls are OpenSSL's own, forwarded (Loader.c). Call
// `dvs_crypto_open` first.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/// Loads libcrypto once (thread-safe): NULL when every function DVS calls is
/// available, else why not (a string that stays valid).
const char *dvs_crypto_open(void);

#endif
