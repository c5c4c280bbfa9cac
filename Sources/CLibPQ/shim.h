#ifndef MTP_CLIBPQ_SHIM_H
#define MTP_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
