"""The plumbing every widget shares: one figure, named controls, a message and a readout line, ``update()``.

A widget is a small object that holds a matplotlib figure, the artists drawn on it, and the
ipywidgets controls (sliders, dropdowns) that steer it. Moving a control calls ``update``; so do
the tests::

    w = momentum_explorer()
    w.update(beta=0.9)          # exactly what moving the "beta" slider does
    w.measured_rate             # the state the plot shows, for tests and for the curious

``update`` never rebuilds the figure: subclasses implement ``_draw(**values)``, which moves the
existing artists (``set_data``, ``set_offsets``, ``set_UVC``, ``set_height``). The artists it moves
are registered with ``_moving(...)``: they are redrawn over a cached picture of everything else
(blitting, see ``_rendering``), so an update costs milliseconds, not a full figure draw. Numbers
that change with every move go into the text readout beside the figure (``_show_readout``):
matplotlib takes milliseconds per line of text, an HTML widget nothing. Whatever
goes wrong inside ``_draw`` (a learner's function that cannot be differentiated, a setting that
diverges) becomes a readable message above the plot, never a traceback.

Display: with ``%matplotlib widget`` (ipympl) the figure's canvas is itself a widget and
``canvas.blit`` sends it the changed pixels. Otherwise the figure is rendered to PNG into an
``ipywidgets.Image``, which is updated in place (no flicker, and it works in any Jupyter front end).
"""
import html
import math

import ipywidgets as widgets
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ._rendering import Blitter

COLUMNS = 3  # controls are laid out on a grid of this many columns
PNG_DPI = 80  # pixels per inch of the PNG shown without ipympl


def ipympl_active():
    """True when ``%matplotlib widget`` (ipympl) is the current backend."""
    backend = matplotlib.get_backend().lower()
    return "ipympl" in backend or backend == "widget"


def new_figure(figsize):
    """A figure for a widget: an ipympl canvas when active, else a plain Agg figure."""
    if ipympl_active():
        import matplotlib.pyplot as plt
        with plt.ioff():
            figure = plt.figure(figsize=figsize)
        figure.canvas.header_visible = False
        return figure
    figure = Figure(figsize=figsize, dpi=PNG_DPI)
    FigureCanvasAgg(figure)
    return figure


def slider(description, value, low, high, step=None, integer=False, continuous=True):
    """A labelled float (or int) slider; ``continuous=False`` updates only when the slider is let go."""
    kind = widgets.IntSlider if integer else widgets.FloatSlider
    step = step if step is not None else (1 if integer else (high - low) / 200)
    return kind(value=value, min=low, max=high, step=step, description=description,
                style={"description_width": "initial"}, continuous_update=continuous)


def log_slider(description, value, low, high, continuous=True):
    """A slider that moves through powers of ten (``low`` and ``high`` are the values, not exponents)."""
    return widgets.FloatLogSlider(value=value, base=10, min=math.log10(low), max=math.log10(high), step=0.01,
                                  description=description, readout_format=".3g", continuous_update=continuous,
                                  style={"description_width": "initial"})


def dropdown(description, options, value):
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "initial"})


class Widget:
    """Base class: subclasses add controls with ``_add``, build their artists, then call ``_start``."""

    def __init__(self, figsize):
        self.figure = new_figure(figsize)
        self.controls = {}
        self.extras = []
        self.message = ""
        self._message_box = widgets.HTML()
        self.readout_text = ""
        self._readout_box = widgets.HTML()
        self._image = None
        self._ui = None
        self._syncing = False
        self._blitter = Blitter(self.figure, self._static_state)

    # ------------------------------------------------------------------ building
    def _add(self, name, control):
        """Register a control under ``name``; moving it calls ``update(name=new value)``."""
        self.controls[name] = control
        control.observe(lambda change: self._moved(name, change["new"]), names="value")
        return control

    def _add_button(self, description, on_click):
        button = widgets.Button(description=description)
        button.on_click(lambda _: on_click())
        self.extras.append(button)
        return button

    def _moving(self, *artists):
        """Register the artists that ``_draw`` changes (lines, markers, texts, titles): they are
        redrawn on every update; everything else is drawn once and reused."""
        self._blitter.add(*artists)

    def _on_top(self, *artists):
        """Register artists that never change but must cover the moving ones (legends)."""
        self._blitter.add_overlay(*artists)

    def _static_state(self):
        """A value that changes whenever content that is not moving changes (beyond axes limits,
        which are watched anyway): then the next update draws the whole figure afresh."""
        return ()

    def _start(self):
        """First update; the first drawing lays the figure out (constrained), later ones keep that layout."""
        self.figure.set_layout_engine("constrained")
        self._freeze = self.figure.canvas.mpl_connect("draw_event", self._freeze_layout)
        self._refresh()

    def _freeze_layout(self, event):
        """Keep the layout found by the first draw: re-solving it on every update would cost more than the update."""
        self.figure.set_layout_engine("none")
        self.figure.canvas.mpl_disconnect(self._freeze)

    @property
    def full_draws(self):
        """How many times the whole figure has been drawn (updates that only move artists don't count)."""
        return self._blitter.full_draws

    # ------------------------------------------------------------------ updating
    @property
    def values(self):
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, **values):
        """Set controls (as if moved by hand) and redraw once. Returns the widget."""
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise TypeError(f"{type(self).__name__}.update() got unknown control(s) {unknown}; "
                            f"its controls are {sorted(self.controls)}")
        self._syncing = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._syncing = False
        self._refresh()
        return self

    def _moved(self, name, value):
        if not self._syncing:  # a learner moved it (update() itself sets controls while syncing)
            self.update(**{name: value})

    def _refresh(self):
        self.message = ""
        try:
            self._draw(**self.values)
        except Exception as error:  # shown to the learner in the widget; the plot stays usable
            self.say(f"{type(error).__name__}: {error}")
        self._message_box.value = (f"<span style='color:#b00'>{html.escape(self.message)}</span>"
                                   if self.message else "")
        self._repaint()

    def _show_readout(self, text):
        """Show ``text`` (lines of numbers) in the readout between the controls and the figure."""
        self.readout_text = text
        self._readout_box.value = (f"<pre style='margin:0;font-size:12px;line-height:1.35'>{html.escape(text)}</pre>"
                                   if text else "")

    def say(self, text):
        """Add a line to the message shown above the plot."""
        self.message = f"{self.message} {text}".strip()

    def _draw(self, **values):
        raise NotImplementedError("a widget implements _draw(**values): move its artists to show these values")

    def _repaint(self):
        """Show the moved artists: a new PNG, or blit the ipympl canvas (nothing to do while not displayed)."""
        if self._image is not None:
            self._image.value = self.png()
        elif ipympl_active():
            self._blitter.render()
            self.figure.canvas.blit(self.figure.bbox)

    def png(self):
        """The figure as PNG bytes (what the non-ipympl display shows), drawn by blitting."""
        return self._blitter.png()

    # ------------------------------------------------------------------ display
    @property
    def ui(self):
        """The ipywidgets box that Jupyter displays: controls, message, readout, figure."""
        if self._ui is None:
            grid = widgets.GridBox(list(self.controls.values()) + self.extras,
                                   layout=widgets.Layout(grid_template_columns=f"repeat({COLUMNS}, 1fr)"))
            if ipympl_active():
                canvas = self.figure.canvas
            else:
                canvas = self._image = widgets.Image(value=self.png(), format="png")
            self._ui = widgets.VBox([grid, self._message_box, self._readout_box, canvas])
        return self._ui

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)
