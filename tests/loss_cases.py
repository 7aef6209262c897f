"""Every loss with every combination of its arguments, as data for the loss tests.

A ``Spec`` names a functional loss (``F.<name>``) and its Module (``nn.<cls>``), says how to make
its input arrays for a dtype, and lists the values of each option; ``cases()`` yields every
combination (itertools.product). Options whose value is a tensor (``weight``, ``pos_weight``,
a ``var`` shared along a dim...) are named here and built inside the test with the library
under test, so torch and minitorch get the same numbers.
"""
import itertools
from dataclasses import dataclass, field

import numpy as np

REDUCTIONS = ("none", "mean", "sum")
CLASS_SHAPES = ((5,), (3, 5), (3, 5, 2), (2, 5, 2, 3))   # (C), (N, C), (N, C, d1), (N, C, d1, d2)


def _rng(seed=0):
    return np.random.default_rng(seed)


def uniform(shape, dtype, low=-2.0, high=2.0, seed=0):
    return _rng(seed).uniform(low, high, shape).astype(dtype)


def signs(shape, seed=3):
    return np.where(_rng(seed).random(shape) < 0.5, -1.0, 1.0)


@dataclass
class Spec:
    name: str                      # F.<name>
    cls: str                       # nn.<cls>
    arrays: callable               # (dtype, options) -> list of numpy arrays (positional inputs)
    options: dict                  # option -> list of values
    tensor_options: dict = field(default_factory=dict)   # option value name -> (dtype, options) -> array
    forward_only: tuple = ()       # options that are forward() arguments of the Module, not constructor ones
    functional_only: tuple = ()    # options the Module does not have

    def combinations(self):
        keys = list(self.options)
        for values in itertools.product(*(self.options[k] for k in keys)):
            yield dict(zip(keys, values))

    def kwargs(self, lib, dtype, options):
        """The options as keyword arguments, tensor-valued ones built with ``lib``."""
        out = {}
        for key, value in options.items():
            if key.startswith("_"):
                continue
            if isinstance(value, str) and value in self.tensor_options:
                value = lib.tensor(self.tensor_options[value](dtype, options))
            elif callable(value) and key == "distance_function":
                value = value(lib)
            out[key] = value
        return out


def _pair(shape, low=-2.0, high=2.0):
    return lambda dtype, o: [uniform(shape, dtype, low, high, 0), uniform(shape, dtype, low, high, 1)]


def _class_targets(shape, n_classes, ignore_index=None, seed=4):
    target = _rng(seed).integers(0, n_classes, shape)
    if ignore_index is not None and target.size > 1:
        target.reshape(-1)[::3] = ignore_index
    return target.astype(np.int64)


def _target_shape(shape):
    return () if len(shape) == 1 else (shape[0],) + shape[2:]


def _nll_arrays(dtype, o):
    shape = o["_shape"]
    ignore = o.get("ignore_index", -100)
    target = _class_targets(_target_shape(shape), shape[0 if len(shape) == 1 else 1],
                            ignore if ignore != -100 else None)
    return [uniform(shape, dtype), target]


def _probability_arrays(dtype, o):
    shape = o["_shape"]
    class_dim = 0 if len(shape) == 1 else 1
    p = _rng(5).random(shape)
    return [uniform(shape, dtype), (p / p.sum(class_dim, keepdims=True)).astype(dtype)]


def _class_weight(dtype, o):
    shape = o["_shape"]
    return uniform((shape[0 if len(shape) == 1 else 1],), dtype, 0.2, 2.0, seed=7)


def _elementwise_weight(dtype, o):
    return uniform(o.get("_shape", (3, 4)), dtype, 0.2, 2.0, seed=7)


def _ctc_arrays(dtype, o):
    """Logits (T, N, C) (log_softmax is applied in the test), targets, input and target lengths."""
    t_max, n_classes = 6, 4
    blank = o["blank"]
    labels = [c for c in range(n_classes) if c != blank]
    target_lengths = np.array([3, 1, 2, 0])
    input_lengths = np.array([6, 4, 2 if o["_impossible"] else 5, 3])
    rows = [_rng(9 + i).choice(labels, length) for i, length in enumerate(target_lengths)]
    if o["_impossible"]:
        rows[2] = np.array([labels[0], labels[0]])  # a repeat needs a blank between: 3 steps, only 2 given
    if o["_targets"] == "padded":
        targets = np.full((len(rows), 3), labels[0])
        for i, row in enumerate(rows):
            targets[i, :len(row)] = row
    else:
        targets = np.concatenate(rows)
    logits = uniform((t_max, len(rows), n_classes), dtype)
    return [logits, targets.astype(np.int64), input_lengths.astype(np.int64), target_lengths.astype(np.int64)]


def _gaussian_arrays(dtype, o):
    var_shape = {"same": (3, 4), "one_less_dim": (3,), "one_dim_of_1": (3, 1)}.get(o["_var"])
    arrays = [uniform((3, 4), dtype, seed=0), uniform((3, 4), dtype, seed=1)]
    if var_shape is not None:
        var = uniform(var_shape, dtype, 0.05, 2.0, seed=2)
        if o["eps"] > 0.01:
            var.reshape(-1)[::2] = 1e-3  # below eps: clamped
        arrays.append(var)
    return arrays


def _multilabel_targets(dtype, o):
    shape = o["_shape"]
    rows = np.full((int(np.prod(shape[:-1])), shape[-1]), -1)
    for i, row in enumerate(rows):
        chosen = _rng(11 + i).choice(shape[-1], size=1 + i % 3, replace=False)
        row[:len(chosen)] = chosen
        if i == 1:
            row[-1] = 0  # a label after the -1 terminator is ignored
    return [uniform(shape, dtype), rows.reshape(shape).astype(np.int64)]


def _abs_distance(lib):
    return lambda x, y: (x - y).abs().sum(-1)


SPECS = [
    Spec("l1_loss", "L1Loss", _pair((3, 4)), {"reduction": REDUCTIONS, "weight": [None, "elementwise"]},
         {"elementwise": _elementwise_weight}, functional_only=("weight",)),
    Spec("mse_loss", "MSELoss", _pair((3, 4)), {"reduction": REDUCTIONS, "weight": [None, "elementwise"]},
         {"elementwise": _elementwise_weight}, functional_only=("weight",)),
    Spec("huber_loss", "HuberLoss", _pair((3, 4)),
         {"reduction": REDUCTIONS, "delta": [0.5, 1.0, 2.0], "weight": [None, "elementwise"]},
         {"elementwise": _elementwise_weight}, functional_only=("weight",)),
    Spec("smooth_l1_loss", "SmoothL1Loss", _pair((3, 4)), {"reduction": REDUCTIONS, "beta": [0.0, 0.5, 1.0, 2.0]}),
    Spec("poisson_nll_loss", "PoissonNLLLoss",
         lambda dtype, o: [uniform((3, 4), dtype, -1, 1.5) if o["log_input"] else uniform((3, 4), dtype, 0.1, 3),
                           uniform((3, 4), dtype, 0.2, 4.0, seed=1)],
         {"reduction": REDUCTIONS, "log_input": [True, False], "full": [False, True], "eps": [1e-8, 0.1]}),
    Spec("gaussian_nll_loss", "GaussianNLLLoss", _gaussian_arrays,
         {"reduction": REDUCTIONS, "full": [False, True], "eps": [1e-6, 0.5],
          "_var": ["same", "one_less_dim", "one_dim_of_1", "float"]}, forward_only=("var",)),
    Spec("kl_div", "KLDivLoss",
         lambda dtype, o: [uniform((3, 4), dtype, -3, 0),
                           uniform((3, 4), dtype, -3, 0, seed=1) if o["log_target"]
                           else uniform((3, 4), dtype, 0.05, 1, seed=1)],
         {"reduction": REDUCTIONS + ("batchmean",), "log_target": [False, True]}),
    Spec("nll_loss", "NLLLoss", _nll_arrays,
         {"_shape": CLASS_SHAPES, "reduction": REDUCTIONS, "weight": [None, "class"], "ignore_index": [-100, 1]},
         {"class": _class_weight}),
    Spec("cross_entropy", "CrossEntropyLoss", _nll_arrays,
         {"_shape": CLASS_SHAPES, "reduction": REDUCTIONS, "weight": [None, "class"], "ignore_index": [-100, 1],
          "label_smoothing": [0.0, 0.2]},
         {"class": _class_weight}),
    Spec("cross_entropy", "CrossEntropyLoss", _probability_arrays,
         {"_shape": CLASS_SHAPES, "reduction": REDUCTIONS, "weight": [None, "class"],
          "label_smoothing": [0.0, 0.2]},
         {"class": _class_weight}),
    Spec("binary_cross_entropy", "BCELoss",
         lambda dtype, o: [uniform(o["_shape"], dtype, 0.05, 0.95), uniform(o["_shape"], dtype, 0, 1, seed=1)],
         {"_shape": [(5,), (3, 4)], "reduction": REDUCTIONS, "weight": [None, "elementwise", "last_dim"]},
         {"elementwise": _elementwise_weight,
          "last_dim": lambda dtype, o: uniform(o["_shape"][-1:], dtype, 0.2, 2.0, seed=8)}),
    Spec("binary_cross_entropy_with_logits", "BCEWithLogitsLoss",
         lambda dtype, o: [uniform((3, 4), dtype, -4, 4), uniform((3, 4), dtype, 0, 1, seed=1)],
         {"reduction": REDUCTIONS, "weight": [None, "elementwise"], "pos_weight": [None, "per_class"]},
         {"elementwise": _elementwise_weight, "per_class": lambda dtype, o: uniform((4,), dtype, 0.5, 3, seed=8)}),
    Spec("multilabel_soft_margin_loss", "MultiLabelSoftMarginLoss",
         lambda dtype, o: [uniform(o["_shape"], dtype, -3, 3), (_rng(2).random(o["_shape"]) < 0.5).astype(dtype)],
         {"_shape": [(4,), (3, 4)], "reduction": REDUCTIONS, "weight": [None, "per_class"]},
         {"per_class": lambda dtype, o: uniform((4,), dtype, 0.2, 2, seed=8)}),
    Spec("margin_ranking_loss", "MarginRankingLoss",
         lambda dtype, o: [uniform((6,), dtype), uniform((6,), dtype, seed=1), signs((6,)).astype(dtype)],
         {"reduction": REDUCTIONS, "margin": [0.0, 0.5]}),
    Spec("hinge_embedding_loss", "HingeEmbeddingLoss",
         lambda dtype, o: [uniform((3, 4), dtype, 0, 3), signs((3, 4)).astype(dtype)],
         {"reduction": REDUCTIONS, "margin": [1.0, 2.0]}),
    Spec("soft_margin_loss", "SoftMarginLoss",
         lambda dtype, o: [uniform((3, 4), dtype, -3, 3), signs((3, 4)).astype(np.int64)],  # torch: no target grad
         {"reduction": REDUCTIONS}),
    Spec("cosine_embedding_loss", "CosineEmbeddingLoss",
         lambda dtype, o: [uniform(o["_shape"], dtype), uniform(o["_shape"], dtype, seed=1),
                           signs(o["_shape"][:-1]).astype(np.int64)],
         {"_shape": [(5,), (4, 5)], "reduction": REDUCTIONS, "margin": [0.0, 0.3]}),
    Spec("multi_margin_loss", "MultiMarginLoss",
         lambda dtype, o: [uniform(o["_shape"], dtype, -1, 1),
                           _class_targets(o["_shape"][:-1], o["_shape"][-1])],
         {"_shape": [(5,), (3, 5)], "reduction": REDUCTIONS, "p": [1, 2], "margin": [1.0, 0.5],
          "weight": [None, "class"]},
         {"class": lambda dtype, o: uniform((5,), dtype, 0.2, 2, seed=7)}),
    Spec("multilabel_margin_loss", "MultiLabelMarginLoss", _multilabel_targets,
         {"_shape": [(5,), (3, 5)], "reduction": REDUCTIONS}),
    Spec("triplet_margin_loss", "TripletMarginLoss",
         lambda dtype, o: [uniform(o["_shape"], dtype, seed=s) for s in range(3)],
         {"_shape": [(5,), (3, 5)], "reduction": REDUCTIONS, "margin": [1.0, 2.5], "p": [1, 2, 3],
          "swap": [False, True], "eps": [1e-6, 0.1]}),
    Spec("triplet_margin_with_distance_loss", "TripletMarginWithDistanceLoss",
         lambda dtype, o: [uniform((3, 5), dtype, seed=s) for s in range(3)],
         {"reduction": REDUCTIONS, "distance_function": [None, _abs_distance], "margin": [1.0, 2.5],
          "swap": [False, True]}),
    Spec("ctc_loss", "CTCLoss", _ctc_arrays,
         {"reduction": REDUCTIONS, "blank": [0, 3], "zero_infinity": [False, True], "_targets": ["padded", "concat"],
          "_impossible": [False, True]}),
]


def cases():
    """(spec, options) for every spec and every combination of its options."""
    for spec in SPECS:
        for options in spec.combinations():
            yield spec, options


def case_id(spec, options):
    shown = ",".join(f"{k.lstrip('_')}={v.__name__ if callable(v) else v}" for k, v in options.items())
    return f"{spec.name}[{shown}]"
