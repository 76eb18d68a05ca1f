#version 330
// render/colour_lut.py rule 3; LAYER_NIGHT_LIGHT is defined by that module (its LAYER_NIGHT_LIGHT).
#ifndef LAYER_NIGHT_LIGHT
#error "LAYER_NIGHT_LIGHT: defined by render/colour_lut.py (its LAYER_NIGHT_LIGHT)"
#endif
uniform vec4 p3d_ColorScale;
uniform sampler2D p3d_Texture0;
in vec3 v_normal;
in vec4 v_color;
in vec3 v_uv;
out vec4 o_color;
#include "look_fragment.glsl"
#include "facade_fragment.glsl"
void main() {
    vec3 n = normalize(v_normal);
    vec4 tex = v_uv.x > 0.0 ? mix(texture(p3d_Texture0, v_uv.xy), vec4(1.0), v_uv.z) : vec4(1.0);
    vec3 rgb = v_color.rgb * tex.rgb;
    float own = 1.0 - v_uv.z;  // how much of the model's own colour shows: facades and occlusion on that only
    vec3 glow = look_surface(rgb, n, own, v_uv.x > 0.0 ? 0.0 : own);
    vec3 light = look_light(n);
    light = mix(light, max(light, vec3(LAYER_NIGHT_LIGHT)), v_uv.z * look_night());  // rule 3: legend at night
    vec3 lit = rgb * light + glow;
    o_color = vec4(look_haze(lit, 1.0 - v_uv.z), v_color.a) * p3d_ColorScale;  // layer colours: no haze
}
