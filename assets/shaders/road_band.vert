#version 330
// render/road_bands.py: the congestion band along a road, coloured by its own lookup texture (rule 2).
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelMatrix;
uniform sampler2D lut;
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in uint object;
out vec3 v_normal;
out vec4 v_color;
void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    v_normal = mat3(p3d_ModelMatrix) * p3d_Normal;
    ivec2 size = textureSize(lut, 0);
    v_color = vec4(0.0);
    if (int(object / uint(size.x)) < size.y) {
        v_color = texelFetch(lut, ivec2(int(object % uint(size.x)), int(object / uint(size.x))), 0);
    }
}
