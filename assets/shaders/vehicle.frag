#version 330
// render/vehicles.py: flat lit faces. FADE: the ordered-dither fade (rule 4); without it no discard, so
// llvmpipe can test depth before shading (a type whose instances are all opaque).
uniform vec3 sun_to;
uniform vec3 sun_color;
uniform vec3 fill_to;
uniform vec3 fill_color;
uniform vec3 ambient;
in vec3 v_world;
in vec4 v_color;
out vec4 o_color;
#ifdef FADE
#include "dither.glsl"
#endif
void main() {
#ifdef FADE
    if (dithered_out(v_color.a)) discard;
#endif
    vec3 n = normalize(cross(dFdx(v_world), dFdy(v_world)));  // flat: the face's own normal, toward the eye
    vec3 light = ambient + sun_color * max(dot(n, sun_to), 0.0) + fill_color * max(dot(n, fill_to), 0.0);
    o_color = vec4(v_color.rgb * light, 1.0);
}
