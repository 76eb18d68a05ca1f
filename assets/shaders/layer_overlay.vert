#version 330
// render/layer_draw.py rule 4: a ground overlay, its texture unlit.
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
in vec2 p3d_MultiTexCoord0;
out vec2 v_uv;
void main() { gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex; v_uv = p3d_MultiTexCoord0; }
