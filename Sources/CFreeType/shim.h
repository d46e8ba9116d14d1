#ifndef DVS_CFREETYPE_SHIM_H
#define DVS_CFREETYPE_SHIM_H
// FreeType 2. ft2build.h must come first; FT_FREETYPE_H names the main header.
#include <ft2build.h>
#include FT_FREETYPE_H
#endif
