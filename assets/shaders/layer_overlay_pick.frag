#version 330
// render/layer_draw.py rule 3: the overlay's texel + 1 in RGB (24 bits), the layer's kind in alpha.
uniform sampler2D p3d_Texture0;
uniform float u_pick_kind;
in vec2 v_uv;
out vec4 o_color;
void main() {
    ivec2 size = textureSize(p3d_Texture0, 0);
    if (texture(p3d_Texture0, v_uv).a < 0.02) { o_color = vec4(0.0); return; }  // nothing shown: no pick
    ivec2 texel = clamp(ivec2(v_uv * vec2(size)), ivec2(0), size - 1);
    uint id = uint(texel.y * size.x + texel.x) + 1u;
    o_color = vec4(float(id & 255u), float((id >> 8) & 255u), float((id >> 16) & 255u), u_pick_kind) / 255.0;
}
