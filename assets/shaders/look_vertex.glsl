// render/lighting.py rules 6, 7 and 11: the light-space point and the eye's distance per vertex (full look).
uniform mat4 p3d_ModelMatrix;
uniform mat4 p3d_ModelViewMatrix;
#ifdef FULL_LOOK
uniform vec3 sun_to;
uniform mat4 shadow_matrix;  // world -> the sun's light space: metres across the light (x, y), depth 0..1 (z)
uniform vec4 shadow_params;  // strength (0: no shadows), normal offset (m), unused, one texel in t
out vec3 v_shadow;    // the fragment's point in light space: per vertex, as the sun's projection is
                      // orthographic (affine: interpolates exactly), which spares a matrix per pixel
#ifdef GROUND
out vec3 v_eye;       // position from the eye: its length per fragment, as the terrain's far cells are too
                      // large for a distance interpolated from their corners
#else
out float v_eye;      // distance from the eye (rule 11)
#endif
void look_vertex(vec4 vertex, vec3 world_normal) {
    // The normal offset (render/shadows.py rule 3) goes to the sun's side of the surface: the side the
    // fragment shows whenever it looks the map up at all (a side facing away from the sun is unlit).
    float length_n = length(world_normal);  // 0 for geometry without normals (points): no offset
    vec3 n = length_n > 0.0 ? world_normal / length_n : vec3(0.0);
    n = dot(n, sun_to) < 0.0 ? -n : n;
    vec3 world = (p3d_ModelMatrix * vertex).xyz + n * shadow_params.y;
    v_shadow = (shadow_matrix * vec4(world, 1.0)).xyz;
#ifdef GROUND
    v_eye = (p3d_ModelViewMatrix * vertex).xyz;
#else
    v_eye = length((p3d_ModelViewMatrix * vertex).xyz);
#endif
}
#else
void look_vertex(vec4 vertex, vec3 world_normal) {}  // rule 7: the plain look interpolates nothing for shadow or haze
#endif
