#ifndef MTP_CLIBCRYPTO_SHIM_H
#define MTP_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#endif
