"""Fast redraws by blitting: draw what does not move once, and only the moving artists per update.

Drawing a whole matplotlib figure costs tens of milliseconds (every tick label, every contour),
but a slider moves only a few lines, markers and texts. So a widget marks those as *moving*
(``artist.set_animated(True)``: a full draw leaves them out). After each full draw the canvas
pixels, the *background*, are saved (``copy_from_bbox``); an update then restores them
(``restore_region``) and draws the moving artists on top (``draw_artist``), which costs about a
millisecond. This is matplotlib's blitting recipe (see its "Faster rendering by using blitting"
tutorial).

The background is drawn afresh only when it no longer shows the truth: when the figure's size,
resolution or layout changes, when an axes' limits, scale or title change (a new range of
tick labels), or when the widget says its static content changed (``static_state``, e.g. the
contours of another surface). Full draws made by others (ipympl's resize or zoom) are caught
too: the ``draw_event`` saves their background and paints the moving artists on it.

The picture reaches the learner as a PNG of the canvas pixels (an ``ipywidgets.Image``), encoded
with light compression since speed matters more than bytes here, or, with ipympl, by
``canvas.blit``, which sends only the changed pixels to the browser.
"""
import io

from PIL import Image


class Blitter:
    """Renders ``figure``: a cached background plus the moving artists. ``full_draws`` counts the
    full draws (the tests check that updates reuse the background)."""

    def __init__(self, figure, static_state=tuple):
        self.figure = figure
        self.static_state = static_state   # () -> a value that changes when static content changes
        self.moving = []
        self.full_draws = 0
        self._background = None            # (what it shows, the saved pixels)
        figure.canvas.mpl_connect("draw_event", self._on_full_draw)

    def add(self, *artists):
        """Mark artists as moving: left out of the background, drawn over it on every update."""
        for artist in artists:
            artist.set_animated(True)
            self.moving.append(artist)

    def render(self):
        """Bring the canvas pixels up to date, with one full draw only if the background is stale."""
        canvas = self.figure.canvas
        if self._background is not None and self._background[0] == self._static_key():
            canvas.restore_region(self._background[1])
            self._draw_moving(canvas.get_renderer())
        else:
            canvas.draw()   # its draw_event lands in _on_full_draw

    def png(self):
        """The canvas as PNG bytes, rendered first. Compression level 1: about as small, far faster."""
        self.render()
        canvas = self.figure.canvas
        pixels = Image.frombuffer("RGBA", canvas.get_width_height(physical=True), canvas.buffer_rgba(),
                                  "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        pixels.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _on_full_draw(self, event):
        """After any full draw: save it as the background, then paint the moving artists on it."""
        saving = self.figure.canvas.is_saving()   # savefig: axes draw their animated artists themselves
        if not saving:
            self._background = (self._static_key(), self.figure.canvas.copy_from_bbox(self.figure.bbox))
            self.full_draws += 1
        self._draw_moving(event.renderer, only_figure_level=saving)

    def _draw_moving(self, renderer, only_figure_level=False):
        for artist in sorted(self.moving, key=lambda a: a.get_zorder()):
            if artist.get_visible() and not (only_figure_level and artist.axes is not None):
                artist.draw(renderer)

    def _static_key(self):
        """Everything the background depends on; when it changes, the background is drawn afresh."""
        axes = tuple((tuple(ax.get_position().bounds), ax.get_xlim(), ax.get_ylim(), ax.get_xscale(),
                      ax.get_yscale(), ax.get_title()) for ax in self.figure.axes)
        return self.figure.canvas.get_width_height(physical=True), self.figure.dpi, axes, self.static_state()
