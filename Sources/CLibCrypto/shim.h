#ifndef DVS_CLIBCRYPTO_SHIM_H
#define DVS_CLIBCRYPTO_SHIM_H
// OpenSSL's libcrypto (libssl-dev): only its EVP message digests (SHA-256 of files for shard manifests).
#include <openssl/evp.h>
#endif
