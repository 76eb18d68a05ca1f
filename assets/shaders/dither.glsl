// Fade without sorting (render/vehicles.py rule 4): a 4x4 ordered dither of the fragment's alpha.
const float BAYER[16] = float[16](0., 8., 2., 10., 12., 4., 14., 6., 3., 11., 1., 9., 15., 7., 13., 5.);
bool dithered_out(float alpha) {
    ivec2 p = ivec2(gl_FragCoord.xy) & 3;
    return alpha < (BAYER[p.y * 4 + p.x] + 0.5) / 16.0;
}
