"""Avatar navigation, pure (no Panda3D, no clock): tested without a window, applied by app/navigation.py.

grid.py        uniform grid of items by their xy boxes (CSR arrays)
index.py       CollisionIndex: a CityModel's floors and walls in two grids, built once per scene
collide.py     queries on the floors and walls near a place: heights, wall sweeps and slides, rays
kinematics.py  Walker, Flyer, Look: fixed-step motion with interpolation, gravity, steps, speeds
modes.py       Navigator: orbit / walk / fly / follow, switching with the view kept, VehicleSource
bindings.py    Controls: the action table, default keys, help lines, the user controls file
"""
