// render/lighting.py rules 6, 7, 11 and 12: sun, fill and ambient light; shadow lookup and haze (full look).
uniform vec3 sun_to;      // unit vector from the scene toward the sun, world space
uniform vec3 sun_color;
uniform vec3 fill_to;
uniform vec3 fill_color;
uniform vec3 ambient;
#ifdef FULL_LOOK
// The cascades' atlas, tiles stacked (render/shadows.py rule 2). Stills and videos compare 4 bilinear taps
// in the sampler; the window reads one texel, nearest, and compares it here (rule 7, render/shadows.py rule 6).
#ifdef SOFT_SHADOWS
uniform sampler2DShadow shadow_map;
#else
uniform sampler2D shadow_map;
#endif
uniform vec4 shadow_params;  // strength (0: no shadows), normal offset (m), unused, one texel in t
uniform mat4 shadow_cascades;  // [k] for cascade k < 3: (light metres -> tile scale, tile offset s, t, depth
                               // bias); [3]: (split 0, split 1 in metres from the eye, 1 / atlas slots, margin)
uniform vec4 haze;           // rgb: the horizon's colour; a: metres over which haze reaches 63% (0: none)
in vec3 v_shadow;
#ifdef GROUND
in vec3 v_eye;
float eye_distance() { return length(v_eye); }
#else
in float v_eye;
float eye_distance() { return v_eye; }  // rule 11
#endif
float sun_visibility() {
    // No branch (rule 12). The cascade by distance from the eye (render/shadows.py rule 2).
    vec4 info = shadow_cascades[3];
    float d = eye_distance();
    float k = float(d > info.x) + float(d > info.y);  // the cascade: 0, 1 or 2
    vec4 c = shadow_cascades[int(k)];  // an indexed load: cheaper on llvmpipe than selecting whole vec4s
    vec2 uv = v_shadow.xy * c.x + c.yz;
    // 0 beyond the cascade: where no caster's shadow falls, lit (the depth range holds every caster and
    // receiver of the cascades' regions, render/shadows.py rule 2).
    vec2 inside = step(vec2(info.w), uv) * step(uv, vec2(1.0 - info.w));
    vec3 s = vec3(uv.x, (uv.y + k) * info.z, v_shadow.z);  // tiles stacked (render/shadows.py rule 2)
    float lit = 0.0;
    float z = s.z - c.w;
#ifdef SOFT_SHADOWS
    vec2 t = vec2(shadow_params.w, shadow_params.w * info.z);  // 4 taps a texel apart, each a bilinear 2x2
    lit += texture(shadow_map, vec3(s.xy + vec2(-0.5, -0.5) * t, z));  // compare: soft edges (PCF)
    lit += texture(shadow_map, vec3(s.xy + vec2(0.5, -0.5) * t, z));
    lit += texture(shadow_map, vec3(s.xy + vec2(-0.5, 0.5) * t, z));
    lit += texture(shadow_map, vec3(s.xy + vec2(0.5, 0.5) * t, z));
#else
    lit = 4.0 * step(z, texture(shadow_map, s.xy).r);  // one texel, nearest: the window's (rule 7)
#endif
    return mix(1.0, 0.25 * lit, shadow_params.x * inside.x * inside.y);  // strength 0: no shadows
}
vec3 look_light(vec3 n) {
    float sun = max(dot(n, sun_to), 0.0) * sun_visibility();
    return ambient + sun_color * sun + fill_color * max(dot(n, fill_to), 0.0);
}
vec3 look_haze(vec3 rgb, float amount) {  // amount 0: a layer's colour, kept true to its legend
    float d = eye_distance() / max(haze.a, 1e-6);  // haze.a 0: none (rule 12: no branch)
    return mix(rgb, haze.rgb, amount * step(1e-6, haze.a) * (1.0 - exp(-d * d)));  // render/sky.py rule 3
}
#else
vec3 look_light(vec3 n) {  // rule 7: no shadow lookup and no haze in the plain look
    return ambient + sun_color * max(dot(n, sun_to), 0.0) + fill_color * max(dot(n, fill_to), 0.0);
}
vec3 look_haze(vec3 rgb, float amount) { return rgb; }
#endif
