#version 330
// render/road_bands.py: lit like the city (rule 3); at night at least LAYER_NIGHT_LIGHT, as the city's layer
// colours are (render/colour_lut.py rule 3), so the legend still reads. LAYER_NIGHT_LIGHT: defined by road_bands.py.
#ifndef LAYER_NIGHT_LIGHT
#error "LAYER_NIGHT_LIGHT: defined by render/road_bands.py (colour_lut.py's LAYER_NIGHT_LIGHT)"
#endif
uniform vec3 sun_to;
uniform vec3 sun_color;
uniform vec3 fill_to;
uniform vec3 fill_color;
uniform vec3 ambient;
in vec3 v_normal;
in vec4 v_color;
out vec4 o_color;
void main() {
    if (v_color.a < 0.5) discard;  // rule 2: no data, or the roads layer hidden
    vec3 n = normalize(v_normal);
    vec3 light = ambient + sun_color * max(dot(n, sun_to), 0.0) + fill_color * max(dot(n, fill_to), 0.0);
    float night = 1.0 - smoothstep(0.0, 0.25, max(max(sun_color.r, sun_color.g), sun_color.b));  // as look_night()
    light = mix(light, max(light, vec3(LAYER_NIGHT_LIGHT)), night);
    o_color = vec4(v_color.rgb * light, 1.0);
}
