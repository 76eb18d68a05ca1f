#version 330
// render/basemap_texture.py: imagery carries its own light, so no lighting here (rule 4); saturation,
// brightness and opacity are the [basemap] look, dimmed under live layers.
uniform sampler2D p3d_Texture0;
uniform vec4 window;      // uv offset (xy) and scale (zw) into the texture: an ancestor's part (rule 2)
uniform vec3 look;        // saturation, brightness, opacity
in vec2 v_uv;
out vec4 o_color;
void main() {
    vec4 c = texture(p3d_Texture0, window.xy + v_uv * window.zw);
    float grey = dot(c.rgb, vec3(0.299, 0.587, 0.114));
    vec3 rgb = mix(vec3(grey), c.rgb, look.x) * look.y;
    o_color = vec4(rgb, c.a * look.z);
}
