// render/lighting.py rules 8 and 9: windows, occlusion and the night's lit windows (full look, not the ground).
#if defined(FULL_LOOK) && !defined(GROUND) && defined(NIGHT_WINDOWS)
float look_night() {  // 1 once the sun is under the horizon: its colour is zero (Lighting.for_sun)
    return 1.0 - smoothstep(0.0, 0.25, max(max(sun_color.r, sun_color.g), sun_color.b));
}
#else
float look_night() { return 0.0; }  // rule 9: by day no window is lit, and none of this runs
#endif
// NO_FACADES (render/colour_lut.py rule 5): a layer's colours replace every facade object's own, so none of
// this would show.
#if defined(FULL_LOOK) && !defined(GROUND) && !defined(NO_FACADES)
in vec4 v_facade;
const vec3 GLASS = vec3(0.16, 0.20, 0.26);     // window glass by day (lit like the wall)
const vec3 WARM = vec3(1.00, 0.72, 0.38);      // a lit window at night (added after the light)
const float LIT_SHARE = 0.35;                  // share of windows lit at night
float window_hash(vec3 p) {  // a hash without sine (cheaper on llvmpipe): 0..1 per window cell
    p = fract(p * 0.1031);
    p += dot(p, p.zyx + 31.32);
    return fract((p.x + p.y) * p.z);
}
vec3 look_surface(inout vec3 rgb, vec3 n, float occlusion, float facade) {
    // One path for every pixel, no early return: llvmpipe runs a branch's both sides anyway (rule 7).
    // Occlusion: darkest at the wall's foot, reaching higher in deep canyons (render/geometry.py rule 7).
    float storey = abs(v_facade.z);
    float ao = v_facade.w * occlusion;
    float reach = 2.0 + 14.0 * ao;  // metres over which it fades: (reach / (reach + h))^2, cheaper than exp
    float fall = reach / (reach + max(v_facade.y, 0.0) * storey);
    rgb *= 1.0 - ao * fall * fall;
    vec2 cell = v_facade.xy;
    vec2 p = fract(cell);
    vec2 size = fwidth(cell);  // cells per pixel: windows fade to their average before they shimmer
    float sharp = clamp(3.0 - 12.0 * max(size.x, size.y), 0.0, 1.0);
    bool shop = v_facade.z < 0.0 && cell.y < 1.0;
    vec4 box = shop ? vec4(0.5, 0.44, 0.45, 0.38) : vec4(0.5, 0.56, 0.25, 0.24);  // centre, half size in a cell
    vec2 edge = abs(p - box.xy) - box.zw;  // < 0 inside the window
#ifdef SOFT_SHADOWS
    vec2 inner = 1.0 - smoothstep(-size, size, edge);  // stills and videos: antialiased edges
    float inside = inner.x * inner.y;
#else
    float inside = step(max(edge.x, edge.y), 0.0);  // the window: hard edges, a few instructions
#endif
    float window = mix(4.0 * box.z * box.w, inside, sharp) * facade * step(0.0, cell.y) * sign(storey);
    rgb = mix(rgb, GLASS, 0.8 * window);
#ifdef NIGHT_WINDOWS
    float lit = step(window_hash(vec3(floor(cell), floor(n.x * 7.0) + 13.0 * floor(n.y * 7.0))), LIT_SHARE);
    return WARM * (look_night() * window * mix(LIT_SHARE, lit, sharp));
#else
    return vec3(0.0);
#endif
}
#else
vec3 look_surface(inout vec3 rgb, vec3 n, float occlusion, float facade) { return vec3(0.0); }  // rule 7
#endif
