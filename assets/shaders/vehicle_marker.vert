#version 330
// render/vehicles.py rule 7: a far vehicle as one point; MARKER_PULL (defined by the module) pulls its depth.
#ifndef MARKER_PULL
#error "MARKER_PULL: defined by render/vehicles.py (its MARKER_PULL)"
#endif
uniform mat4 p3d_ProjectionMatrix;
uniform mat4 p3d_ModelViewMatrix;
uniform float scale;
uniform float point_distance;
uniform float marker_near;  // markers fade in from here to point_distance (rule 7)
in vec4 i_place;
in vec4 i_tint;
out vec4 v_color;
flat out int v_index;
void main() {
    vec3 eye = (p3d_ModelViewMatrix * vec4(i_place.xyz, 1.0)).xyz;
    float fade = smoothstep(marker_near, point_distance, length(eye));
    bool shown = i_tint.a > 0.0 && fade > 0.0;
    v_color = vec4(i_tint.rgb, i_tint.a * fade);
    v_index = gl_VertexID;
    // Pulled toward the eye along its ray (same pixel): the ground in front does not hide its lower half.
    vec4 marker = p3d_ModelViewMatrix * vec4(i_place.xyz + vec3(0.0, 0.0, scale), 1.0);
    marker.xyz *= 1.0 - MARKER_PULL;
    gl_Position = shown ? p3d_ProjectionMatrix * marker : vec4(2.0, 2.0, 2.0, 1.0);
}
