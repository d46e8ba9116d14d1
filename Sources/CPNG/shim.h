#ifndef DVS_CPNG_SHIM_H
#define DVS_CPNG_SHIM_H
// libpng 1.6 (its simplified png_image_* API reads every color type and depth).
#include <png.h>
#endif
