#version 330
// render/tile_parts.py: point clouds of a tile, unlit in their own colours (a point has no normal to light).
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
in vec4 p3d_Color;
out vec4 v_color;
void main() { gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex; v_color = p3d_Color; }
