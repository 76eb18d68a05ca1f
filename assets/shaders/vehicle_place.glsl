// render/vehicles.py: where an instance's vertex goes (rules 2, 6 and 7), shared by the vehicle and pick stages.
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelViewMatrix;
uniform int first;
uniform float scale;
uniform float lod_distance;  // beyond this many metres from the eye: the far shape (rule 6)
uniform float point_distance;  // beyond this many: drawn as a point by the points node instead (rule 7)
in vec4 p3d_Vertex;
in vec3 far;      // this corner in the far shape (one box; the other boxes' corners all in one point)
in vec4 i_place;  // per instance: x, y, z, heading (radians clockwise from north)
in vec4 i_tint;   // per instance: r, g, b, alpha
vec3 place(out vec4 colour, out int index) {
    index = first + gl_InstanceID;
    float s = sin(i_place.w), k = cos(i_place.w);  // +y (forward) turns toward +x
    vec3 eye = (p3d_ModelViewMatrix * vec4(i_place.xyz, 1.0)).xyz;
    float d2 = dot(eye, eye);
    vec3 v = (d2 > lod_distance * lod_distance ? far : p3d_Vertex.xyz) * scale;
    colour = d2 > point_distance * point_distance ? vec4(0.0) : i_tint;  // alpha 0: outside the clip volume
    return vec3(v.x * k + v.y * s, -v.x * s + v.y * k, v.z) + i_place.xyz;
}
