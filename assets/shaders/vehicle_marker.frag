#version 330
// render/vehicles.py rule 7: the marker, unlit (the legend colour itself), faded in by the dither of rule 4.
in vec4 v_color;
flat in int v_index;
out vec4 o_color;
#include "dither.glsl"
void main() {
    if (dithered_out(v_color.a)) discard;
    o_color = vec4(v_color.rgb, 1.0);
}
