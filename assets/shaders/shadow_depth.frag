#version 330
// render/shadows.py rule 1: depth only, no colour.
void main() { }
