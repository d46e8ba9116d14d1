#ifndef DVS_CLIBCRYPTO_SHIM_H
#define DVS_CLIBCRYPTO_SHIM_H
// OpenSSL 3's libcrypto (Debian's libssl-dev): the one-shot HMAC() and the
// constant-time CRYPTO_memcmp that sign Jupyter messages, and the EVP digests
// (SHA-256 of tokenizer files in shard manifests). Only libcrypto is linked,
// not libssl.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif
