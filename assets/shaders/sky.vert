#version 330
// render/sky.py rule 1: the dome's corners are directions, on the far plane.
uniform mat4 p3d_ViewMatrix;
uniform mat4 p3d_ProjectionMatrix;
in vec4 p3d_Vertex;
out vec3 v_dir;
void main() {
    v_dir = p3d_Vertex.xyz;
    vec4 clip = p3d_ProjectionMatrix * vec4(mat3(p3d_ViewMatrix) * p3d_Vertex.xyz, 0.0);
    gl_Position = clip.xyww;  // on the far plane (rule 1)
}
