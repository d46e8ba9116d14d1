// Opens libgvc on first use (libcgraph comes with it) and forwards each
// Graphviz call DVS makes to it (see include/CGraphviz.h for why).
#include "CGraphviz.h"
#include "CLibraryLoader.h"
#include <dlfcn.h>

// The functions forwarded under their own names: X(return type, name, (parameters), (arguments)).
#define DVS_GRAPHVIZ_FORWARDED(X) \
    X(GVC_t *, gvContext, (void), ()) \
    X(int, gvFreeContext, (GVC_t *gvc), (gvc)) \
    X(int, gvLayout, (GVC_t *gvc, graph_t *graph, const char *engine), (gvc, graph, engine)) \
    X(int, gvFreeLayout, (GVC_t *gvc, graph_t *graph), (gvc, graph)) \
    X(void, gvFreeRenderData, (char *data), (data)) \
    X(Agraph_t *, agmemread, (const char *text), (text)) \
    X(int, agclose, (Agraph_t *graph), (graph)) \
    X(int, agreseterrors, (void), ()) \
    X(agusererrf, agseterrf, (agusererrf handler), (handler))

// Every function looked up; gvRenderData's length type depends on the release.
#define DVS_GRAPHVIZ_FUNCTIONS(X) \
    DVS_GRAPHVIZ_FORWARDED(X) \
    X(int, gvRenderData, (GVC_t *gvc, graph_t *graph, const char *format, char **result, void *length), ())

DVS_LIBRARY_DEFINE(DVS_GRAPHVIZ_FUNCTIONS, NULL, RTLD_LOCAL, "libgvc.so.6", "libgvc.so")
DVS_GRAPHVIZ_FORWARDED(DVS_LIBRARY_FORWARD)

const char *dvs_graphviz_open(void) { return dvs_library_open(&library); }

int dvs_gvRenderData(GVC_t *gvc, graph_t *graph, const char *format, char **result, size_t *length) {
    dvs_library_require(&library);
    if (__builtin_types_compatible_p(__typeof__(gvRenderData),
                                     int(GVC_t *, graph_t *, const char *, char **, unsigned int *))) {
        unsigned int n = 0;
        int status = p_gvRenderData(gvc, graph, format, result, &n);
        *length = n;
        return status;
    }
    return p_gvRenderData(gvc, graph, format, result, length);
}
