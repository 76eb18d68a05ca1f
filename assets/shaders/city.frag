#version 330
// render/lighting.py: the two-sided city shader; GROUND: the terrain's variant (rule 10).
uniform vec4 p3d_ColorScale;
uniform sampler2D p3d_Texture0;
in vec3 v_normal;
in vec4 v_color;
in vec2 v_uv;
out vec4 o_color;

#include "look_fragment.glsl"
#include "facade_fragment.glsl"

void main() {
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) n = -n;
#ifdef GROUND
    vec4 base = v_color;  // rule 10: no texture, no facade
    vec3 rgb = base.rgb;
    vec3 glow = vec3(0.0);
#else
    vec4 base = v_uv.x > 0.0 ? v_color * texture(p3d_Texture0, v_uv) : v_color;  // rule 5
    vec3 rgb = base.rgb;
    vec3 glow = look_surface(rgb, n, 1.0, v_uv.x > 0.0 ? 0.0 : 1.0);  // rule 8: none on textures
#endif
    o_color = vec4(look_haze(rgb * look_light(n) + glow, 1.0), base.a) * p3d_ColorScale;
}
