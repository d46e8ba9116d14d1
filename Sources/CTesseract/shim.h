#ifndef DVS_CTESSERACT_SHIM_H
#define DVS_CTESSERACT_SHIM_H
// Tesseract's C API. Not through tesseract.pc, which adds -larchive -lcurl.
#include <tesseract/capi.h>
#endif
