#version 330
// render/vehicles.py rule 5: instance index + 1 in RGB (24 bits), kind 2 (KIND_VEHICLE) in alpha.
flat in int v_index;
out vec4 o_color;
void main() {
    uint id = uint(v_index) + 1u;
    o_color = vec4(float(id & 255u), float((id >> 8) & 255u), float((id >> 16) & 255u), 2.0) / 255.0;
}
