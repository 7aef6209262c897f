"""``reduction=`` for every loss: how a tensor of per-element losses becomes what is returned.

    'none'  the losses themselves, one per element (or per sample)
    'mean'  their average (some losses use a weighted average, see each loss)
    'sum'   their sum

Before ``reduction`` existed, losses took two flags, ``size_average`` and ``reduce``. They
still work, as in torch, with a deprecation warning that names the ``reduction`` to use:
``reduce=False`` means 'none'; otherwise ``size_average=False`` means 'sum', else 'mean'.
"""
import warnings

REDUCTIONS = ("none", "mean", "sum")


def check(reduction):
    """Raise torch's ValueError for an unknown reduction; return it unchanged otherwise."""
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                      stacklevel=4)
        return "mean"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction (choose one of "
                         f"{', '.join(repr(r) for r in REDUCTIONS)})")
    return reduction


def legacy_get_string(size_average, reduce, emit_warning=True):
    """The ``reduction`` that the deprecated flags ``size_average`` and ``reduce`` mean."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        reduction = "mean"
    elif reduce:
        reduction = "sum"
    else:
        reduction = "none"
    if emit_warning:
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
                      "instead.", stacklevel=4)
    return reduction


def resolve(size_average, reduce, reduction):
    """The reduction to apply: the legacy flags win when either is given (as in torch)."""
    if size_average is not None or reduce is not None:
        return legacy_get_string(size_average, reduce)
    return check(reduction)


def apply(loss, reduction):
    """Reduce a tensor of losses: unchanged ('none'), ``loss.mean()`` or ``loss.sum()``."""
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    return loss.sum()
