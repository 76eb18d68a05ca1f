#version 330
// render/colour_lut.py rule 3: the city lit as render/lighting.py lights it, each object's colour from the
// lookup texture by its id, mixed by the texel's alpha; the normal turned toward the eye.
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform sampler2D lut;
in vec4 p3d_Vertex;
in vec3 p3d_Normal;
in vec4 p3d_Color;
in vec4 p3d_MultiTexCoord0;
in uint object;
out vec3 v_normal;
out vec4 v_color;
out vec3 v_uv;  // atlas coordinates (render/lighting.py rule 5); z: how much a layer's colour replaces them
#include "look_vertex.glsl"
#include "facade_vertex.glsl"
void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    facade_vertex(p3d_Vertex, mat3(p3d_ModelMatrix) * p3d_Normal);  // render/lighting.py rule 8
    // Turn the normal toward the eye (rule 3): the same sign at the three corners of a planar triangle.
    vec3 eye_normal = mat3(p3d_ModelViewMatrix) * p3d_Normal;
    float toward = dot(eye_normal, (p3d_ModelViewMatrix * p3d_Vertex).xyz) > 0.0 ? -1.0 : 1.0;
    v_normal = toward * (mat3(p3d_ModelMatrix) * p3d_Normal);
    look_vertex(p3d_Vertex, v_normal);
    vec4 base = p3d_Color;
    ivec2 size = textureSize(lut, 0);
    v_uv = vec3(p3d_MultiTexCoord0.xy, 0.0);
    if (object != 0xFFFFFFFFu && int(object / uint(size.x)) < size.y) {
        vec4 o = texelFetch(lut, ivec2(int(object % uint(size.x)), int(object / uint(size.x))), 0);
        base.rgb = mix(base.rgb, o.rgb, o.a);
        v_uv.z = o.a;
    }
    v_color = base;
}
