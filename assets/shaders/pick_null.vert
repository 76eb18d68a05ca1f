#version 330
// render/picking.py rule 2: what has no pick shader of its own draws zero (nothing) in the id render.
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
void main() { gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex; }
