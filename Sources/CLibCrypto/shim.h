#ifndef DVS_CLIBCRYPTO_SHIM_H
#define DVS_CLIBCRYPTO_SHIM_H
// OpenSSL 3's libcrypto (Debian's libssl-dev), for the HMAC-SHA256 that signs
// Jupyter messages: the one-shot HMAC() and the constant-time CRYPTO_memcmp.
// Only libcrypto is linked, not libssl.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
