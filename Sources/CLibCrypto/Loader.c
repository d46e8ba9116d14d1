// Opens libcrypto on first use and forwards each OpenSSL call DVS makes to it
// (see include/CLibCrypto.h for why).
#include "CLibCrypto.h"
#include "CLibraryLoader.h"
#include <dlfcn.h>

// Each function DVS calls: X(return type, name, (parameters), (arguments)).
#define DVS_CRYPTO_FUNCTIONS(X) \
    X(const EVP_MD *, EVP_sha256, (void), ()) \
    X(int, EVP_Digest, (const void *data, size_t count, unsigned char *md, unsigned int *size, const EVP_MD *type, \
                        ENGINE *engine), \
      (data, count, md, size, type, engine)) \
    X(unsigned char *, HMAC, (const EVP_MD *type, const void *key, int key_length, const unsigned char *data, \
                              size_t data_length, unsigned char *md, unsigned int *md_length), \
      (type, key, key_length, data, data_length, md, md_length)) \
    X(int, CRYPTO_memcmp, (const void *a, const void *b, size_t length), (a, b, length))

DVS_LIBRARY_DEFINE(DVS_CRYPTO_FUNCTIONS, NULL, RTLD_LOCAL, "libcrypto.so.3", "libcrypto.so")
DVS_CRYPTO_FUNCTIONS(DVS_LIBRARY_FORWARD)

const char *dvs_crypto_open(void) { return dvs_library_open(&library); }
