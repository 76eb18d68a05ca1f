"""Camera paths for flythroughs: keyframes, interpolation, the path file, recording and playback (pure).

Nothing here imports Panda3D: app/flythrough_window.py drives a window with these objects and
app/flythrough_render.py renders them offscreen to video, frame by frame, with the feed in lock-step.
"""
