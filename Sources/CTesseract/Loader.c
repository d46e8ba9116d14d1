// Opens libtesseract on first use (global scope, so libgomp's OpenMP controls
// stay reachable by dlsym(RTLD_DEFAULT, …)) and forwards each dvs_Tess* call to it
// (see include/CTesseract.h for why).
#include "CTesseract.h"
#include "CLibraryLoader.h"
#include <dlfcn.h>

// Each function DVS calls: X(return type, name, (parameters), (arguments)).
#define DVS_TESSERACT_FUNCTIONS(X) \
    X(TessBaseAPI *, TessBaseAPICreate, (void), ()) \
    X(void, TessBaseAPIDelete, (TessBaseAPI *handle), (handle)) \
    X(int, TessBaseAPIInit3, (TessBaseAPI *handle, const char *datapath, const char *language), (handle, datapath, language)) \
    X(BOOL, TessBaseAPISetVariable, (TessBaseAPI *handle, const char *name, const char *value), (handle, name, value)) \
    X(void, TessBaseAPISetPageSegMode, (TessBaseAPI *handle, TessPageSegMode mode), (handle, mode)) \
    X(void, TessBaseAPISetImage, (TessBaseAPI *handle, const unsigned char *imagedata, int width, int height, \
                                  int bytes_per_pixel, int bytes_per_line), \
      (handle, imagedata, width, height, bytes_per_pixel, bytes_per_line)) \
    X(void, TessBaseAPISetSourceResolution, (TessBaseAPI *handle, int ppi), (handle, ppi)) \
    X(int, TessBaseAPIRecognize, (TessBaseAPI *handle, ETEXT_DESC *monitor), (handle, monitor)) \
    X(TessResultIterator *, TessBaseAPIGetIterator, (TessBaseAPI *handle), (handle)) \
    X(void, TessBaseAPIClear, (TessBaseAPI *handle), (handle)) \
    X(void, TessBaseAPIEnd, (TessBaseAPI *handle), (handle)) \
    X(void, TessDeleteText, (const char *text), (text)) \
    X(BOOL, TessPageIteratorBoundingBox, (const TessPageIterator *handle, TessPageIteratorLevel level, \
                                          int *left, int *top, int *right, int *bottom), \
      (handle, level, left, top, right, bottom)) \
    X(void, TessResultIteratorDelete, (TessResultIterator *handle), (handle)) \
    X(TessPageIterator *, TessResultIteratorGetPageIterator, (TessResultIterator *handle), (handle)) \
    X(BOOL, TessResultIteratorNext, (TessResultIterator *handle, TessPageIteratorLevel level), (handle, level)) \
    X(char *, TessResultIteratorGetUTF8Text, (const TessResultIterator *handle, TessPageIteratorLevel level), (handle, level)) \
    X(float, TessResultIteratorConfidence, (const TessResultIterator *handle, TessPageIteratorLevel level), (handle, level)) \
    X(ETEXT_DESC *, TessMonitorCreate, (void), ()) \
    X(void, TessMonitorDelete, (ETEXT_DESC *monitor), (monitor)) \
    X(void, TessMonitorSetCancelFunc, (ETEXT_DESC *monitor, TessCancelFunc cancelFunc), (monitor, cancelFunc)) \
    X(void, TessMonitorSetCancelThis, (ETEXT_DESC *monitor, void *cancelThis), (monitor, cancelThis))

// $DVS_TESSERACT names the library (another Tesseract 5 build); else the
// soname of Tesseract 5 (Debian 12's libtesseract5), then the dev link.
DVS_LIBRARY_DEFINE(DVS_TESSERACT_FUNCTIONS, "DVS_TESSERACT", RTLD_GLOBAL, "libtesseract.so.5", "libtesseract.so")
DVS_TESSERACT_FUNCTIONS(DVS_LIBRARY_FORWARD_PREFIXED)

const char *dvs_tesseract_open(void) { return dvs_library_open(&library); }
