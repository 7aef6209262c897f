"""Every loss, every combination of its arguments: values and gradients against torch (float32 and
float64), gradcheck in float64, and the Module form agreeing with the functional form."""
import numpy as np
import pytest
import torch

import minitorch
from loss_cases import case_id, cases
from oracle import check, gradcheck

CASES = list(cases())
IDS = [case_id(spec, options) for spec, options in CASES]

pytestmark = pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")  # kl_div's own warning (torch's too)


def as_tensors(lib, values):
    """numpy arrays (the integer targets that ``check`` leaves alone too) as tensors of ``lib``."""
    return [lib.tensor(v) if isinstance(v, np.ndarray) else v for v in values]


def _positional(lib, spec, options, tensors):
    if spec.name == "ctc_loss":
        logits, *rest = tensors
        return [logits.log_softmax(2), *rest]
    if spec.name == "gaussian_nll_loss" and options["_var"] == "float":
        return [*tensors, 0.7]
    return list(tensors)


def call_functional(lib, spec, options, dtype, tensors):
    kwargs = spec.kwargs(lib, dtype, options)
    return getattr(lib.nn.functional, spec.name)(*_positional(lib, spec, options, tensors), **kwargs)


def call_module(lib, spec, options, dtype, tensors):
    kwargs = spec.kwargs(lib, dtype, options)
    skipped = spec.forward_only + spec.functional_only
    module = getattr(lib.nn, spec.cls)(**{k: v for k, v in kwargs.items() if k not in skipped})
    return module(*_positional(lib, spec, options, tensors))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("spec,options", CASES, ids=IDS)
def test_loss_matches_torch(spec, options, dtype):
    arrays = spec.arrays(dtype, options)
    check(lambda lib, *ts: call_functional(lib, spec, options, dtype, as_tensors(lib, ts)), *arrays)


def _differentiable_everywhere(spec, options):
    """gradcheck needs a smooth point: skip impossible CTC alignments (loss inf) and gaussian's clamped
    variances (torch's straight-through clamp is deliberately not the derivative there)."""
    if spec.name == "ctc_loss" and options["_impossible"] and not options["zero_infinity"]:
        return False
    return not (spec.name == "gaussian_nll_loss" and options["eps"] > 0.01)


def _covering(cases):
    """Enough cases that, for every loss and reduction, each value of each option is gradchecked once
    (the full product is checked against torch above; finite differences are slower)."""
    seen, chosen = set(), []
    for spec, options in cases:
        keys = {(spec.name, spec.arrays, options["reduction"], k, repr(v)) for k, v in options.items()}
        if not keys <= seen:
            seen |= keys
            chosen.append((spec, options))
    return chosen


GRADCHECK_CASES = _covering(c for c in CASES if _differentiable_everywhere(*c))


@pytest.mark.parametrize("spec,options", GRADCHECK_CASES, ids=[case_id(*c) for c in GRADCHECK_CASES])
def test_loss_gradcheck(spec, options):
    arrays = spec.arrays(np.float64, options)
    gradcheck(lambda lib, *ts: call_functional(lib, spec, options, np.float64, as_tensors(lib, ts)), *arrays)


MODULE_CASES = [(s, o) for s, o in CASES if not any(o.get(k) is not None for k in s.functional_only)]


@pytest.mark.parametrize("spec,options", MODULE_CASES, ids=[case_id(*c) for c in MODULE_CASES])
def test_module_agrees_with_functional_and_torch(spec, options):
    arrays = spec.arrays(np.float64, options)
    mine = check(lambda lib, *ts: call_module(lib, spec, options, np.float64, as_tensors(lib, ts)), *arrays)
    functional = call_functional(minitorch, spec, options, np.float64, as_tensors(minitorch, arrays))
    np.testing.assert_array_equal(mine[0].detach().numpy(), functional.detach().numpy())


def test_every_torch_loss_is_here():
    wanted = ["L1Loss", "MSELoss", "CrossEntropyLoss", "CTCLoss", "NLLLoss", "PoissonNLLLoss", "GaussianNLLLoss",
              "KLDivLoss", "BCELoss", "BCEWithLogitsLoss", "MarginRankingLoss", "HingeEmbeddingLoss",
              "MultiLabelMarginLoss", "HuberLoss", "SmoothL1Loss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
              "CosineEmbeddingLoss", "MultiMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss"]
    tested = {spec.cls for spec, _ in CASES}
    assert set(wanted) <= tested
    for name in wanted:
        assert issubclass(getattr(minitorch.nn, name), minitorch.nn.Module)
        assert getattr(minitorch.nn, name).__doc__.count("Gradient") >= 1, f"{name}'s docstring has no gradient"


def _signature(function):
    import inspect
    return [(p.name, p.default, p.kind) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("name", minitorch.nn.functional.loss.__all__)
def test_functional_signature_is_torchs(name):
    assert _signature(getattr(minitorch.nn.functional, name)) == _signature(getattr(torch.nn.functional, name))
    assert "Gradient" in getattr(minitorch.nn.functional, name).__doc__


@pytest.mark.parametrize("name", minitorch.nn.modules.loss.__all__)
def test_module_signature_is_torchs(name):
    mine, theirs = getattr(minitorch.nn, name), getattr(torch.nn, name)
    assert _signature(mine.__init__) == _signature(theirs.__init__)
    assert [p[0] for p in _signature(mine.forward)] == [p[0] for p in _signature(theirs.forward)]
