"""Fast redraws by blitting: draw what does not move once, and only the moving artists per update.

Drawing a whole matplotlib figure costs tens of milliseconds (every tick label, every contour),
but a slider moves only a few lines, markers and texts. So a widget marks those as *moving*
(``artist.set_animated(True)``: a full draw leaves them out). After each full draw the canvas
pixels, the *background*, are saved (``copy_from_bbox``); an update then restores them
(``restore_region``) and draws the moving artists on top (``draw_artist``), which costs about a
millisecond. This is matplotlib's blitting recipe (see its "Faster rendering by using blitting"
tutorial). Artists that never change but must stay on top of the moving ones (legends) are
*overlays*: drawn with the background, and their saved pixels put back after the moving
artists, which is much quicker than drawing them again.

The background is drawn afresh only when it no longer shows the truth: when the figure's size,
resolution or layout changes, when an axes' limits or scale change (a new range of tick
labels), or when the widget says its static content changed (``static_state``, e.g. the
contours of another surface). Full draws made by others (ipympl's resize or zoom) are caught
too: the ``draw_event`` saves their background and paints the moving artists on it.

The picture reaches the learner as a PNG of the canvas pixels (an ``ipywidgets.Image``, see
``_png``), or, with ipympl, by ``canvas.blit``, which sends only the changed pixels to the browser.
"""
import numpy as np

from ._png import png_bytes


class Blitter:
    """Renders ``figure``: a cached background plus the moving artists. ``full_draws`` counts the
    full draws (the tests check that updates reuse the background)."""

    def __init__(self, figure, static_state=tuple):
        self.figure = figure
        self.static_state = static_state   # () -> a value that changes when static content changes
        self.moving = []
        self.overlays = []
        self.full_draws = 0
        self._background = None            # (what it shows, the saved pixels)
        self._overlay_pixels = []
        figure.canvas.mpl_connect("draw_event", self._on_full_draw)

    def add(self, *artists):
        """Mark artists as moving: left out of the background, drawn over it on every update."""
        for artist in artists:
            artist.set_animated(True)
            self.moving.append(artist)

    def add_overlay(self, *artists):
        """Mark artists that never change as overlays: kept on top of the moving ones."""
        self.overlays.extend(artists)

    def render(self):
        """Bring the canvas pixels up to date, with one full draw only if the background is stale."""
        canvas = self.figure.canvas
        if self._background is not None and self._background[0] == self._static_key():
            canvas.restore_region(self._background[1])
            self._draw_moving(canvas.get_renderer())
        else:
            canvas.draw()   # its draw_event lands in _on_full_draw

    def png(self):
        """The canvas as PNG bytes, rendered first."""
        self.render()
        return png_bytes(np.asarray(self.figure.canvas.buffer_rgba())[:, :, :3])

    def _on_full_draw(self, event):
        """After any full draw: save it as the background, then paint the moving artists on it."""
        canvas = self.figure.canvas
        saving = canvas.is_saving()   # savefig: axes draw their animated artists themselves
        if not saving:
            self._background = (self._static_key(), canvas.copy_from_bbox(self.figure.bbox))
            self._overlay_pixels = [canvas.copy_from_bbox(artist.get_window_extent(event.renderer))
                                    for artist in self.overlays if artist.get_visible()]
            self.full_draws += 1
        self._draw_moving(event.renderer, only_figure_level=saving)

    def _draw_moving(self, renderer, only_figure_level=False):
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            if artist.get_visible() and not (only_figure_level and artist.axes is not None):
                artist.draw(renderer)
        if not only_figure_level:
            for pixels in self._overlay_pixels:
                self.figure.canvas.restore_region(pixels)

    def _static_key(self):
        """Everything the background depends on; when it changes, the background is drawn afresh."""
        axes = tuple((tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(), ax.get_xscale(),
                      ax.get_yscale()) for ax in self.figure.axes)
        return self.figure.canvas.get_width_height(physical=True), self.figure.dpi, axes, self.static_state()
