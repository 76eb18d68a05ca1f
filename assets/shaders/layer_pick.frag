#version 330
// render/layer_draw.py rule 3: row + 1 in RGB (24 bits), the layer's kind (KIND_LAYER + slot) in alpha.
uniform float u_pick_kind;
flat in uint v_object;
out vec4 o_color;
void main() {
    uint id = v_object + 1u;
    o_color = vec4(float(id & 255u), float((id >> 8) & 255u), float((id >> 16) & 255u), u_pick_kind) / 255.0;
}
