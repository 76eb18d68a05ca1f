#version 330
// render/colour_lut.py rule 4: the object id for the id render.
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
in uint object;
flat out uint v_object;
void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    v_object = object;
}
