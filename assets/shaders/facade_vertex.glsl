// render/lighting.py rule 8: a wall's facade coordinates per vertex (full look, not the ground).
#if defined(FULL_LOOK) && !defined(GROUND) && !defined(NO_FACADES)
uniform sampler2D object_look;  // per object: base z, storey height (0: none, < 0: shops), occlusion (rule 8)
const float BAY = 3.2;          // metres between window axes along a wall
out vec4 v_facade;  // x: window bays along the wall; y: storeys above the object's base; z: storey height
                    // (0: no facade, < 0: shops); w: occlusion at the foot. All 0 off walls (roofs stay plain).
void facade_vertex(vec4 vertex, vec3 world_normal) {  // reads the vertex's `object`
    ivec2 size = textureSize(object_look, 0);
    int row = int(object / uint(size.x));
    vec4 o = texelFetch(object_look, ivec2(int(object % uint(size.x)), min(row, size.y - 1)), 0);
    float across = length(world_normal.xy);
    // A wall (within 18 degrees of vertical) of an object with a facade; no branch (rule 12).
    float wall = float(object != 0xFFFFFFFFu && row < size.y && o.y != 0.0 && across >= 0.95 * length(world_normal));
    vec3 world = (p3d_ModelMatrix * vertex).xyz;
    vec2 along = vec2(-world_normal.y, world_normal.x) / max(across, 1e-6);
    v_facade = wall * vec4(dot(world.xy, along) / BAY, (world.z - o.x) / max(abs(o.y), 1e-6), o.y, o.z);  // affine
}
#else
void facade_vertex(vec4 vertex, vec3 world_normal) {}  // rule 7: nothing in the plain look
#endif
