#version 330
// render/layer_draw.py rule 4: columns lit by a fixed light from the south-west above, per vertex.
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec4 p3d_Color;
out vec4 v_color;
void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    float light = 0.45 + 0.55 * max(dot(normalize(p3d_Normal), normalize(vec3(-0.4, -0.6, 0.7))), 0.0);
    v_color = vec4(p3d_Color.rgb * light, p3d_Color.a);
}
