#ifndef DVS_CCAIRO_H
#define DVS_CCAIRO_H
// Cairo 2D graphics (image surfaces, PNG streams, SVG surfaces; Debian 12's
// libcairo2 1.16, which has cairo_svg_surface_set_document_unit; headers from
// libcairo2-dev). Cairo and the X11/xcb/pixman/fontconfig libraries it links
// cost ~1.4 ms at every start of `dvs` when linked, though most runs draw no
// chart, so it is opened on first use: the functions Swift calls are Cairo's
// own, forwarded (Loader.c). Call `dvs_cairo_open` first.
#include <cairo/cairo.h>
#include <cairo/cairo-svg.h>

/// Loads libcairo once (thread-safe): NULL when every function DVS calls is
/// available, else why not (a string that stays valid).
const char *dvs_cairo_open(void);

#endif
