#version 330
// render/colour_lut.py rule 4: object index + 1 in RGB (24 bits), kind 1 (KIND_CITY) in alpha.
flat in uint v_object;
out vec4 o_color;
void main() {
    if (v_object == 0xFFFFFFFFu) { o_color = vec4(0.0); return; }
    uint id = v_object + 1u;  // 0 means nothing
    o_color = vec4(float(id & 255u), float((id >> 8) & 255u), float((id >> 16) & 255u), 1.0) / 255.0;
}
