#version 330
// render/sky.py rules 2, 4 and 5: gradient, sun glow, the moon; STARS: the night's stars.
const float MOON_RADIUS = 0.0105;  // radians: twice the moon's own 0.26 degrees, so it reads at 60 degrees of view
const vec3 MOON_LIGHT = vec3(0.92, 0.90, 0.82);
const vec3 MOON_DARK = vec3(0.05, 0.06, 0.09);  // the unlit part, a shade over the night sky
uniform vec3 sky_zenith;
uniform vec3 sky_horizon;
uniform vec4 sky_sun;     // xyz: unit vector toward the sun; w: glow strength
uniform vec3 sky_glow;
uniform vec4 sky_moon;    // xyz: unit vector toward the moon; w: how bright it shows (0: not up, rule 4)
in vec3 v_dir;
out vec4 o_color;
#ifdef STARS
uniform float sky_stars;  // rule 5: 0 (none) .. 1 (a dark night)
const float STAR_CELLS = 300.0;   // grid cells per unit of direction: a cell is ~4 pixels at 720p, 60 degrees
const float STAR_SHARE = 0.004;   // share of cells with a star
vec3 star_hash(vec3 p) {  // three 0..1 values per cell, without sine
    p = fract(p * vec3(0.1031, 0.1030, 0.0973));
    p += dot(p, p.yxz + 33.33);
    return fract((p.xxy + p.yxx) * p.zyx);
}
vec3 stars(vec3 d) {
    vec3 cell = floor(d * STAR_CELLS);
    vec3 h = star_hash(cell);
    vec3 star = normalize((cell + 0.25 + 0.5 * h) / STAR_CELLS);  // away from the cell's faces
    float pixel = max(length(fwidth(d)), 1e-5);  // radians a pixel
    float r = length(d - star) / (0.8 * pixel);
    float bright = step(star_hash(cell + 17.0).x, STAR_SHARE) * (0.35 + 0.65 * h.x * h.x);
    return vec3(0.85, 0.88, 1.0) * (bright * exp(-r * r) * sky_stars * smoothstep(0.02, 0.2, d.z));
}
#else
vec3 stars(vec3 d) { return vec3(0.0); }
#endif
void main() {
    vec3 d = normalize(v_dir);
    float up = max(d.z, 0.0);
    vec3 rgb = mix(sky_horizon, sky_zenith, pow(up, 0.45)) + stars(d);
    float toward = max(dot(d, sky_sun.xyz), 0.0);
    rgb += sky_glow * sky_sun.w * (0.35 * pow(toward, 8.0) + 0.9 * pow(toward, 400.0));
    if (sky_moon.w > 0.0) {  // the moon's disc (rule 4), lit on the sun's side: its phase
        vec3 m = sky_moon.xyz;
        float off = acos(clamp(dot(d, m), -1.0, 1.0));
        if (off < MOON_RADIUS * 4.0) {
            vec3 east = normalize(cross(vec3(0.0, 0.0, 1.0), m) + vec3(1e-6, 0.0, 0.0));
            vec3 north = cross(m, east);
            vec2 q = vec2(dot(d, east), dot(d, north)) / sin(MOON_RADIUS);  // on the disc: |q| < 1
            float r2 = dot(q, q);
            vec3 ball = q.x * east + q.y * north - sqrt(max(1.0 - r2, 0.0)) * m;  // the surface facing us
            float lit = smoothstep(-0.05, 0.1, dot(ball, sky_sun.xyz));
            float disc = 1.0 - smoothstep(0.85, 1.0, r2);
            rgb = mix(rgb, MOON_DARK + (MOON_LIGHT - MOON_DARK) * lit, disc * sky_moon.w);
            rgb += MOON_LIGHT * 0.08 * sky_moon.w * exp(-3.0 * r2);  // a faint halo
        }
    }
    o_color = vec4(rgb, 1.0);
}
