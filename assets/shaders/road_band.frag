#version 330
// render/road_bands.py: lit like the city (rule 3).
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
    o_color = vec4(v_color.rgb * light, 1.0);
}
