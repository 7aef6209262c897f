"""linear_map_explorer: a 2x2 matrix as a picture of what it does to the plane.

The four entries of A = [[a, b], [c, d]] are sliders. The plot shows, in one frame:
- the grid lines and the unit circle after the map (the circle becomes an ellipse);
- the unit square's image, a parallelogram whose signed area is det A = a d - b c (orange when
  orientation is kept, purple when the map flips the plane, a line when det A = 0);
- the eigenvectors (A v = lambda v: directions the map only stretches), when they are real;
- the singular directions: A v_i = sigma_i u_i, the ellipse's half-axes sigma_i u_i.
The grid, circle and square are transformed by minitorch (``points @ A.T``); the eigenvectors
come from ``minitorch.linalg.eig`` (complex, as in torch: a real matrix can rotate every
direction) and the singular directions from ``minitorch.linalg.svd``.
"""
import numpy as np

import minitorch

from ._widget_base import Widget, slider

GRID_LINES = np.linspace(-2, 2, 9)
CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 121)), np.sin(np.linspace(0, 2 * np.pi, 121))], axis=1)
SQUARE = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], dtype=float)


def apply(matrix, points):
    """The image of each row of ``points`` under ``matrix``, computed by minitorch."""
    return (minitorch.tensor(points, dtype=minitorch.float64) @ minitorch.tensor(matrix, dtype=minitorch.float64).T
            ).numpy()


def polygon_area(corners):
    """Signed area of a polygon (shoelace formula); positive when the corners run anticlockwise."""
    x, y = corners[:, 0], corners[:, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def _grid_segments():
    """The grid lines as (2, 2) segments: vertical then horizontal."""
    ends = GRID_LINES[[0, -1]]
    vertical = [np.array([[g, ends[0]], [g, ends[1]]]) for g in GRID_LINES]
    horizontal = [np.array([[ends[0], g], [ends[1], g]]) for g in GRID_LINES]
    return vertical + horizontal


class LinearMapExplorer(Widget):
    """The widget behind ``linear_map_explorer``. State: ``matrix``, ``determinant``, ``square``
    (the image of the unit square), ``eigenvalues``/``eigenvectors`` (None when complex),
    ``singular_values``, ``left_singular``/``right_singular`` (columns)."""

    def __init__(self, matrix=((1.5, 0.5), (0.3, 1.0))):
        super().__init__(figsize=(6, 6))
        for name, value in zip("abcd", np.ravel(matrix)):
            self._add(name, slider(name, float(value), -3.0, 3.0, 0.05))
        self._build_axes()
        self._start()

    def _build_axes(self):
        from matplotlib.collections import LineCollection
        from matplotlib.patches import Polygon
        ax = self.ax = self.figure.subplots()
        ax.set(xlim=(-5, 5), ylim=(-5, 5), aspect="equal")
        ax.add_collection(LineCollection(_grid_segments(), colors="0.85", lw=0.8))
        ax.plot(CIRCLE[:, 0], CIRCLE[:, 1], color="0.7", lw=1, ls="--")
        self.grid = ax.add_collection(LineCollection(_grid_segments(), colors="#1f77b4", lw=0.8, alpha=0.6))
        self.square_patch = ax.add_patch(Polygon(SQUARE, closed=True, alpha=0.35))
        self.ellipse, = ax.plot([], [], color="k", lw=2, label="image of the unit circle")
        self.eigen_arrows = ax.quiver([0, 0], [0, 0], [0, 0], [0, 0], color="#2ca02c", angles="xy", scale_units="xy",
                                      scale=1, width=0.008, label="eigenvectors (x lambda)")
        self.singular_arrows = ax.quiver([0, 0], [0, 0], [0, 0], [0, 0], color="#d62728", angles="xy",
                                         scale_units="xy", scale=1, width=0.006, label="sigma_i u_i")
        self._moving(self.grid, self.square_patch, self.ellipse, self.eigen_arrows, self.singular_arrows)
        self._on_top(ax.legend(loc="lower right", fontsize=8))

    def _draw(self, a, b, c, d):
        self.matrix = A = np.array([[a, b], [c, d]])
        self.grid.set_segments([apply(A, segment) for segment in _grid_segments()])
        circle = apply(A, CIRCLE)
        self.ellipse.set_data(circle[:, 0], circle[:, 1])
        self.square = apply(A, SQUARE)
        self.square_patch.set_xy(self.square)
        self.determinant = a * d - b * c
        self.square_patch.set_facecolor("#ff7f0e" if self.determinant >= 0 else "#9467bd")
        self._show_readout(f"det A = ad - bc = {self.determinant:.3g}  (signed area of the square's image)\n"
                           f"{self._draw_eigenvectors(A)}\n{self._draw_singular_directions(A)}")

    def _draw_eigenvectors(self, A):
        values, vectors = (t.numpy() for t in minitorch.linalg.eig(minitorch.tensor(A, dtype=minitorch.float64)))
        if np.any(values.imag != 0):
            self.eigenvalues = self.eigenvectors = None
            self.eigen_arrows.set_UVC([0, 0], [0, 0])
            return "eigenvalues complex: the map rotates, no real direction is kept"
        self.eigenvalues, self.eigenvectors = values.real, vectors.real
        scaled = self.eigenvectors * self.eigenvalues
        self.eigen_arrows.set_UVC(scaled[0], scaled[1])
        return f"eigenvalues {self.eigenvalues[0]:.3g}, {self.eigenvalues[1]:.3g} (arrows: lambda v)"

    def _draw_singular_directions(self, A):
        U, S, Vh = minitorch.linalg.svd(minitorch.tensor(A, dtype=minitorch.float64))
        self.left_singular, self.singular_values, self.right_singular = U.numpy(), S.numpy(), Vh.numpy().T
        axes = self.left_singular * self.singular_values
        self.singular_arrows.set_UVC(axes[0], axes[1])
        return f"singular values {self.singular_values[0]:.3g}, {self.singular_values[1]:.3g} (arrows: sigma u)"


def linear_map_explorer(matrix=((1.5, 0.5), (0.3, 1.0))):
    """A 2x2 matrix's entries as sliders: the transformed grid, unit circle and unit square
    (area = det), the eigenvectors when real, and the singular directions."""
    return LinearMapExplorer(matrix)
