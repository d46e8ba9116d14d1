#ifndef DVS_CGRAPHVIZ_SHIM_H
#define DVS_CGRAPHVIZ_SHIM_H
// Graphviz (libgvc + libcgraph). pkg-config `libgvc` adds -I/usr/include/graphviz.
// Graphviz 2.42/2.43: gvRenderData's length is `unsigned int *`; newer
// releases use `size_t *` (GraphvizRenderer handles both).
#include <graphviz/gvc.h>
#include <graphviz/cgraph.h>
#endif
