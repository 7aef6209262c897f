"""cross_entropy_explorer: logits -> softmax probabilities -> cross-entropy loss -> gradient p - y.

With logits z (one per class), temperature T and label smoothing eps:

    p = softmax(z / T)                       probabilities, sum to 1
    y = (1 - eps) onehot(true class) + eps / K    the target distribution
    loss = -sum_k y_k log p_k                (= -log p_true when eps = 0)
    d loss / d z = (p - y) / T               (computed here by minitorch's autograd)

The gradient bars show which way gradient descent pushes each logit: the true class's logit up
(p_true - y_true < 0), every other logit down, each in proportion to how wrong its probability is.
"""
import numpy as np

import minitorch

from ._widget_base import Widget, dropdown, slider

CLASSES = ("cat", "dog", "bird", "fish")


def cross_entropy_parts(logits, true_class, temperature=1.0, smoothing=0.0):
    """(p, y, loss, grad of the loss w.r.t. the logits) for one example, the gradient by autograd."""
    z = minitorch.tensor(logits, dtype=minitorch.float64, requires_grad=True)
    k = len(logits)
    target = np.full(k, smoothing / k)
    target[true_class] += 1 - smoothing
    log_p = minitorch.log_softmax(z / temperature, dim=0)
    loss = -(minitorch.tensor(target, dtype=minitorch.float64) * log_p).sum()
    gradient, = minitorch.autograd.grad(loss, z)
    return log_p.detach().exp().numpy(), target, loss.item(), gradient.numpy().copy()


class CrossEntropyExplorer(Widget):
    """The widget behind ``cross_entropy_explorer``. State: ``probabilities``, ``target``, ``loss``,
    ``gradient`` (arrays over the classes)."""

    def __init__(self, classes=CLASSES):
        super().__init__(figsize=(10, 3.8))
        self.classes = tuple(classes)
        for k, name in enumerate(self.classes):
            self._add(f"z{k}", slider(f"logit z{k} ({name})", max(2.0 - k, -6.0), -6.0, 6.0, 0.1))
        self._add("true_class", dropdown("true class", [(n, k) for k, n in enumerate(self.classes)], 0))
        self._add("temperature", slider("temperature T", 1.0, 0.1, 5.0, 0.05))
        self._add("smoothing", slider("label smoothing eps", 0.0, 0.0, 0.5, 0.01))
        self._build_axes()
        self._start()

    def _build_axes(self):
        self.prob_ax, self.grad_ax = self.figure.subplots(1, 2)
        positions = np.arange(len(self.classes))
        width = 0.38
        self.prob_bars = self.prob_ax.bar(positions - width / 2, 0, width, color="#1f77b4", label="p = softmax(z/T)")
        self.target_bars = self.prob_ax.bar(positions + width / 2, 0, width, color="0.7", label="target y")
        self.grad_bars = self.grad_ax.bar(positions, 0, 0.6, color="#d62728")
        self.prob_ax.set(xticks=positions, xticklabels=self.classes, ylim=(0, 1.05), title="probabilities")
        self.grad_ax.set(xticks=positions, xticklabels=self.classes, ylim=(-1.05, 1.05),
                         title="gradient d loss / d z = (p - y) / T  (autograd)")
        self.grad_ax.axhline(0, color="k", lw=0.8)
        self._moving(*self.prob_bars, *self.target_bars, *self.grad_bars)
        self._on_top(self.prob_ax.legend(fontsize=8, loc="upper right"))

    def _draw(self, true_class, temperature, smoothing, **logits):
        z = [logits[f"z{k}"] for k in range(len(self.classes))]
        self.probabilities, self.target, self.loss, self.gradient = cross_entropy_parts(z, true_class, temperature,
                                                                                        smoothing)
        for bars, heights in ((self.prob_bars, self.probabilities), (self.target_bars, self.target),
                              (self.grad_bars, self.gradient)):
            for bar, height in zip(bars, heights):
                bar.set_height(height)
        limit = max(1.05, 1.1 * np.abs(self.gradient).max())
        self.grad_ax.set_ylim(-limit, limit)
        self._show_readout(f"loss = {self.loss:.4f}    -log p[{self.classes[true_class]}] = "
                           f"{-np.log(self.probabilities[true_class]):.4f}")


def cross_entropy_explorer(classes=CLASSES):
    """Logit sliders for a few classes: softmax probabilities, the cross-entropy loss and its
    gradient p - y (by autograd), with temperature and label smoothing."""
    return CrossEntropyExplorer(classes)
