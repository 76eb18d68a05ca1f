#version 330
// render/vehicles.py rule 5: the instance index for picking, the shapes placed as vehicle.vert places them.
#include "vehicle_place.glsl"
flat out int v_index;
void main() {
    vec4 colour;
    vec3 world = place(colour, v_index);
    gl_Position = colour.a > 0.0 ? p3d_ModelViewProjectionMatrix * vec4(world, 1.0) : vec4(2.0, 2.0, 2.0, 1.0);
}
