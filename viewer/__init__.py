"""CitiVerse: a 3D viewer for city digital twins.

Layers (see DESIGN.md, checked by tests/test_layers.py): cli -> app -> render -> city -> geo -> config -> errors.
Only render/ and app/ import Panda3D; everything below runs with no window.
"""

__version__ = "0.1.0"
