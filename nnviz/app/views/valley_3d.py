"""The run's valley as a surface that can be turned (pyqtgraph.opengl), where OpenGL works.

Optional: it needs the PyOpenGL package (``pip install "nnviz[3d]"``) and an OpenGL context, which
an offscreen platform or a machine without a GPU driver may not give. ``opengl_available`` says
whether it can be drawn here without raising; the Valley view's map is the fallback.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6 import QtGui

from ...core.valley import Valley
from ..shell import theme

def opengl_available() -> bool:
    """Whether a 3-D surface can be drawn here: pyqtgraph.opengl imports (it needs PyOpenGL),
    the platform draws on a screen, and an OpenGL context can be made. Never raises."""
    if QtGui.QGuiApplication.platformName() in ("offscreen", "minimal"):
        return False
    try:
        import pyqtgraph.opengl  # noqa: F401 - needs PyOpenGL, an optional extra

        return bool(QtGui.QOpenGLContext().create())
    except Exception:  # noqa: BLE001 - any failure means no 3-D here, and the map stays
        return False


class Surface3D:
    """A GLViewWidget (``widget``) with the valley's surface, the run's path on it and the ball.

    The valley sits in a box two units wide: α and β scaled alike (equal scales, as on the map),
    the cost's logarithm as height from 0 (lowest) to 1 (highest), coloured by ``colour_map``
    (the map's) along the height.
    """

    def __init__(self, ball_size: float, colour_map: str):
        import pyqtgraph.opengl as gl
        from OpenGL import GL

        # in front of the surface from any angle, in its own colour (not added to the surface's)
        on_top = {GL.GL_DEPTH_TEST: False, GL.GL_BLEND: True, "glBlendFunc": (GL.GL_SRC_ALPHA, GL.GL_ONE_MINUS_SRC_ALPHA)}
        self.widget = gl.GLViewWidget()
        self.widget.setBackgroundColor(theme.PANEL)
        # looking at the middle of the box, from the south-west and above
        self.widget.setCameraPosition(pos=QtGui.QVector3D(0, 0, 0.4), distance=4.2, elevation=32, azimuth=-70)
        self.surface = gl.GLSurfacePlotItem(shader=None, smooth=False, computeNormals=False)
        self.path = gl.GLLinePlotItem(width=2, color=(1, 1, 1, 1), antialias=True)
        self.ball = gl.GLScatterPlotItem(size=ball_size, color=theme.NEGATIVE.getRgbF(), glOptions=on_top)
        self.colour_map = pg.colormap.get(colour_map)
        for item in (self.surface, self.path, self.ball):
            self.widget.addItem(item)

    def show_valley(self, valley: Valley, ball: int) -> None:
        """Draw ``valley`` (its preview while incomplete) with the ball at checkpoint ``ball``."""
        costs = valley.preview()
        finite = costs[np.isfinite(costs) & (costs > 0)]
        if not finite.size:
            return
        low, high = float(finite.min()), float(max(finite.max(), finite.min() * 1.0001))
        span = math.log10(high) - math.log10(low)
        scale = 2.0 / max(np.ptp(valley.alphas), np.ptp(valley.betas))
        centre = ((valley.alphas[0] + valley.alphas[-1]) / 2, (valley.betas[0] + valley.betas[-1]) / 2)

        def height(cost):
            return (np.log10(np.clip(cost, low, high)) - math.log10(low)) / span

        def place(alpha, beta, cost):
            return np.column_stack([(alpha - centre[0]) * scale, (beta - centre[1]) * scale, height(cost) + 0.01])

        heights = height(np.where(np.isfinite(costs), costs, high))  # (m, n): rows along β
        # one colour per vertex, in the surface's (α, β) order, flat as its mesh keeps them
        colours = self.colour_map.map(heights.T.ravel(), mode="float")
        self.surface.setData(x=(valley.alphas - centre[0]) * scale, y=(valley.betas - centre[1]) * scale,
                             z=heights.T, colors=colours)
        run = valley.paths[0]
        along = np.where(np.isfinite(run.surface), run.surface, high)
        self.path.setData(pos=place(run.coordinates[:, 0], run.coordinates[:, 1], along))
        i = int(np.clip(ball, 0, len(run) - 1))
        self.ball.setData(pos=place(run.coordinates[i:i + 1, 0], run.coordinates[i:i + 1, 1], along[i:i + 1]))
