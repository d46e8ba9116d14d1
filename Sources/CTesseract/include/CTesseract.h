#ifndef DVS_CTESSERACT_H
#define DVS_CTESSERACT_H
// Tesseract's C API, opened on first use. libtesseract and the ~50 libraries
// it pulls in (Leptonica, image codecs, curl, TLS…) cost ~12 ms at every
// start of `dvs` when linked, though most programs never read a page; so the
// header gives the types, and `dvs_tesseract_open` loads the library with
// dlopen and resolves the functions below, each Tesseract's function of the
// same name without the `dvs_` prefix.
#include <stdbool.h>
#include <tesseract/capi.h>

/// Loads libtesseract once (thread-safe): NULL when every function below is
/// available, else why not (a string that stays valid).
const char *dvs_tesseract_open(void);

TessBaseAPI *dvs_TessBaseAPICreate(void);
void dvs_TessBaseAPIDelete(TessBaseAPI *handle);
int dvs_TessBaseAPIInit3(TessBaseAPI *handle, const char *datapath, const char *language);
BOOL dvs_TessBaseAPISetVariable(TessBaseAPI *handle, const char *name, const char *value);
void dvs_TessBaseAPISetPageSegMode(TessBaseAPI *handle, TessPageSegMode mode);
void dvs_TessBaseAPISetImage(TessBaseAPI *handle, const unsigned char *imagedata, int width, int height,
                             int bytes_per_pixel, int bytes_per_line);
void dvs_TessBaseAPISetSourceResolution(TessBaseAPI *handle, int ppi);
int dvs_TessBaseAPIRecognize(TessBaseAPI *handle, ETEXT_DESC *monitor);
TessResultIterator *dvs_TessBaseAPIGetIterator(TessBaseAPI *handle);
void dvs_TessBaseAPIClear(TessBaseAPI *handle);
void dvs_TessBaseAPIEnd(TessBaseAPI *handle);
void dvs_TessDeleteText(const char *text);
BOOL dvs_TessPageIteratorBoundingBox(const TessPageIterator *handle, TessPageIteratorLevel level,
                                     int *left, int *top, int *right, int *bottom);
void dvs_TessResultIteratorDelete(TessResultIterator *handle);
TessPageIterator *dvs_TessResultIteratorGetPageIterator(TessResultIterator *handle);
BOOL dvs_TessResultIteratorNext(TessResultIterator *handle, TessPageIteratorLevel level);
char *dvs_TessResultIteratorGetUTF8Text(const TessResultIterator *handle, TessPageIteratorLevel level);
float dvs_TessResultIteratorConfidence(const TessResultIterator *handle, TessPageIteratorLevel level);
ETEXT_DESC *dvs_TessMonitorCreate(void);
void dvs_TessMonitorDelete(ETEXT_DESC *monitor);
void dvs_TessMonitorSetCancelFunc(ETEXT_DESC *monitor, TessCancelFunc cancelFunc);
void dvs_TessMonitorSetCancelThis(ETEXT_DESC *monitor, void *cancelThis);

#endif
