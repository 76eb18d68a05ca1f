#version 330
// render/vehicles.py: an instanced vehicle shape (rules 1, 2 and 6).
#include "vehicle_place.glsl"
out vec3 v_world;
out vec4 v_color;
void main() {
    int index;
    vec3 world = place(v_color, index);
    v_world = world;
    gl_Position = v_color.a > 0.0 ? p3d_ModelViewProjectionMatrix * vec4(world, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
}
