#ifndef DVS_CCAIRO_SHIM_H
#define DVS_CCAIRO_SHIM_H
// Cairo 2D graphics (image surfaces, PNG streams, SVG surfaces). pkg-config
// `cairo` adds -I/usr/include/cairo plus the glib/pixman/freetype include paths.
// Debian 12 ships cairo 1.16: cairo_svg_surface_set_document_unit exists (1.16+).
#include <cairo.h>
#include <cairo-svg.h>
#endif
