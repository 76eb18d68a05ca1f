#version 330
// render/lighting.py: the two-sided city shader (rules 1, 2, 5-12); flavours by defines (rule 7).
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec4 p3d_Color;
in vec4 p3d_MultiTexCoord0;
out vec3 v_normal;
out vec4 v_color;
out vec2 v_uv;
#ifdef FULL_LOOK
in uint object;
#endif

#include "look_vertex.glsl"
#include "facade_vertex.glsl"

void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    v_normal = mat3(p3d_ModelMatrix) * p3d_Normal;
    v_color = p3d_Color;
    v_uv = p3d_MultiTexCoord0.xy;
    look_vertex(p3d_Vertex, v_normal);
    facade_vertex(p3d_Vertex, v_normal);  // rule 8
}
