// Opens libcairo on first use and forwards each Cairo call DVS (and its tests)
// makes to it (see include/CCairo.h for why).
#include "CCairo.h"
#include "CLibraryLoader.h"
#include <dlfcn.h>

// Each function DVS calls: X(return type, name, (parameters), (arguments)).
#define DVS_CAIRO_FUNCTIONS(X) \
    X(void, cairo_arc, (cairo_t *cr, double xc, double yc, double radius, double angle1, double angle2), (cr, xc, yc, radius, angle1, angle2)) \
    X(void, cairo_clip, (cairo_t *cr), (cr)) \
    X(cairo_t *, cairo_create, (cairo_surface_t *target), (target)) \
    X(void, cairo_destroy, (cairo_t *cr), (cr)) \
    X(void, cairo_fill, (cairo_t *cr), (cr)) \
    X(void, cairo_fill_preserve, (cairo_t *cr), (cr)) \
    X(cairo_font_options_t *, cairo_font_options_create, (void), ()) \
    X(void, cairo_font_options_destroy, (cairo_font_options_t *options), (options)) \
    X(void, cairo_font_options_set_antialias, (cairo_font_options_t *options, cairo_antialias_t antialias), (options, antialias)) \
    X(void, cairo_font_options_set_hint_metrics, (cairo_font_options_t *options, cairo_hint_metrics_t hint_metrics), (options, hint_metrics)) \
    X(int, cairo_format_stride_for_width, (cairo_format_t format, int width), (format, width)) \
    X(cairo_pattern_t *, cairo_get_source, (cairo_t *cr), (cr)) \
    X(cairo_surface_t *, cairo_image_surface_create, (cairo_format_t format, int width, int height), (format, width, height)) \
    X(cairo_surface_t *, cairo_image_surface_create_for_data, (unsigned char *data, cairo_format_t format, int width, int height, int stride), (data, format, width, height, stride)) \
    X(cairo_surface_t *, cairo_image_surface_create_from_png_stream, (cairo_read_func_t read_func, void *closure), (read_func, closure)) \
    X(unsigned char *, cairo_image_surface_get_data, (cairo_surface_t *surface), (surface)) \
    X(int, cairo_image_surface_get_height, (cairo_surface_t *surface), (surface)) \
    X(int, cairo_image_surface_get_stride, (cairo_surface_t *surface), (surface)) \
    X(int, cairo_image_surface_get_width, (cairo_surface_t *surface), (surface)) \
    X(void, cairo_line_to, (cairo_t *cr, double x, double y), (cr, x, y)) \
    X(void, cairo_mask_surface, (cairo_t *cr, cairo_surface_t *surface, double surface_x, double surface_y), (cr, surface, surface_x, surface_y)) \
    X(void, cairo_move_to, (cairo_t *cr, double x, double y), (cr, x, y)) \
    X(void, cairo_new_sub_path, (cairo_t *cr), (cr)) \
    X(void, cairo_paint, (cairo_t *cr), (cr)) \
    X(void, cairo_pattern_set_filter, (cairo_pattern_t *pattern, cairo_filter_t filter), (pattern, filter)) \
    X(void, cairo_rectangle, (cairo_t *cr, double x, double y, double width, double height), (cr, x, y, width, height)) \
    X(void, cairo_reset_clip, (cairo_t *cr), (cr)) \
    X(void, cairo_restore, (cairo_t *cr), (cr)) \
    X(void, cairo_rotate, (cairo_t *cr, double angle), (cr, angle)) \
    X(void, cairo_save, (cairo_t *cr), (cr)) \
    X(void, cairo_scale, (cairo_t *cr, double sx, double sy), (cr, sx, sy)) \
    X(void, cairo_select_font_face, (cairo_t *cr, const char *family, cairo_font_slant_t slant, cairo_font_weight_t weight), (cr, family, slant, weight)) \
    X(void, cairo_set_antialias, (cairo_t *cr, cairo_antialias_t antialias), (cr, antialias)) \
    X(void, cairo_set_dash, (cairo_t *cr, const double *dashes, int num_dashes, double offset), (cr, dashes, num_dashes, offset)) \
    X(void, cairo_set_font_options, (cairo_t *cr, const cairo_font_options_t *options), (cr, options)) \
    X(void, cairo_set_font_size, (cairo_t *cr, double size), (cr, size)) \
    X(void, cairo_set_line_cap, (cairo_t *cr, cairo_line_cap_t line_cap), (cr, line_cap)) \
    X(void, cairo_set_line_join, (cairo_t *cr, cairo_line_join_t line_join), (cr, line_join)) \
    X(void, cairo_set_line_width, (cairo_t *cr, double width), (cr, width)) \
    X(void, cairo_set_source_rgb, (cairo_t *cr, double red, double green, double blue), (cr, red, green, blue)) \
    X(void, cairo_set_source_rgba, (cairo_t *cr, double red, double green, double blue, double alpha), (cr, red, green, blue, alpha)) \
    X(void, cairo_set_source_surface, (cairo_t *cr, cairo_surface_t *surface, double x, double y), (cr, surface, x, y)) \
    X(void, cairo_show_text, (cairo_t *cr, const char *utf8), (cr, utf8)) \
    X(cairo_status_t, cairo_status, (cairo_t *cr), (cr)) \
    X(const char *, cairo_status_to_string, (cairo_status_t status), (status)) \
    X(void, cairo_stroke, (cairo_t *cr), (cr)) \
    X(void, cairo_surface_destroy, (cairo_surface_t *surface), (surface)) \
    X(void, cairo_surface_finish, (cairo_surface_t *surface), (surface)) \
    X(void, cairo_surface_flush, (cairo_surface_t *surface), (surface)) \
    X(cairo_status_t, cairo_surface_status, (cairo_surface_t *surface), (surface)) \
    X(cairo_status_t, cairo_surface_write_to_png_stream, (cairo_surface_t *surface, cairo_write_func_t write_func, void *closure), (surface, write_func, closure)) \
    X(cairo_surface_t *, cairo_svg_surface_create_for_stream, (cairo_write_func_t write_func, void *closure, double width_in_points, double height_in_points), (write_func, closure, width_in_points, height_in_points)) \
    X(void, cairo_svg_surface_set_document_unit, (cairo_surface_t *surface, cairo_svg_unit_t unit), (surface, unit)) \
    X(void, cairo_text_extents, (cairo_t *cr, const char *utf8, cairo_text_extents_t *extents), (cr, utf8, extents)) \
    X(void, cairo_translate, (cairo_t *cr, double tx, double ty), (cr, tx, ty))

DVS_LIBRARY_DEFINE(DVS_CAIRO_FUNCTIONS, NULL, RTLD_LOCAL, "libcairo.so.2", "libcairo.so")
DVS_CAIRO_FUNCTIONS(DVS_LIBRARY_FORWARD)

const char *dvs_cairo_open(void) { return dvs_library_open(&library); }
