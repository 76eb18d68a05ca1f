"""Avatar kinematics and collision, pure (no Panda3D)."""
