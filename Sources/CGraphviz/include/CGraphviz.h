#ifndef DVS_CGRAPHVIZ_H
#define DVS_CGRAPHVIZ_H
// Graphviz (libgvc + libcgraph, Debian's libgvc6; headers from
// libgraphviz-dev). Graphviz and what it links cost ~0.6 ms at every start of
// `dvs` when linked, though most runs draw no graph, so it is opened on first
// use: the functions Swift calls are Graphviz's own, forwarded (Loader.c).
// Call `dvs_graphviz_open` first.
#include <stddef.h>
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

/// Loads libgvc once (thread-safe): NULL when every function DVS calls is
/// available, else why not (a string that stays valid).
const char *dvs_graphviz_open(void);

/// gvRenderData with a `size_t` length: Graphviz 2.42/2.43 (Debian 12)
/// declare the length `unsigned int *`, later releases `size_t *`.
int dvs_gvRenderData(GVC_t *gvc, graph_t *graph, const char *format, char **result, size_t *length);

#endif
