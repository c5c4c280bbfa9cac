#ifndef MTP_CXLSXWRITER_SHIM_H
#define MTP_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
