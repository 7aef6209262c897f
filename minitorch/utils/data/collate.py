"""default_collate: a list of samples -> one batch (torch.utils.data.default_collate)."""
import collections
import copy

import numpy as np

from ... import _dtype
from ..._creation import as_tensor, tensor
from ..._functions.shape import stack
from ..._tensor import Tensor

__all__ = ["default_collate"]

_ERROR = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"


def default_collate(batch):
    """A list of samples -> one batch, recursively, by the type of the first sample, as torch:

    - tensors are stacked along a new dim 0, and so are numpy arrays (as tensors of their dtype);
    - numpy scalars become a tensor of their dtype (np.float32 -> float32, np.int32 -> int32);
      Python floats become float64, ints int64 and bools bool;
    - strings and bytes are not converted: their batch is returned as it is (a list, or a tuple when
      they come from inside sequence samples, as torch);
    - a mapping (dict, OrderedDict, defaultdict...) is collated key by key into a mapping of its type;
    - a namedtuple field by field; other sequences position by position (a tuple of samples gives a
      list of batches).
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(batch, 0)
    if isinstance(elem, np.ndarray):
        if elem.dtype.kind in "SUO":  # strings and Python objects
            raise TypeError(_ERROR.format(elem.dtype))
        return stack([as_tensor(array) for array in batch], 0)
    if isinstance(elem, (np.bool_, np.number)):  # before float: np.float64 is a float
        return tensor(np.array(batch))
    if isinstance(elem, float):
        return tensor(batch, dtype=_dtype.float64)
    if isinstance(elem, int):  # and bool
        return tensor(batch)
    if isinstance(elem, (str, bytes)):
        return batch
    if isinstance(elem, collections.abc.Mapping):
        return _collate_mapping(batch)
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return type(elem)(*(default_collate(samples) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        return _collate_sequence(batch)
    raise TypeError(_ERROR.format(type(elem)))


def _collate_mapping(batch):
    """Key by key, into a copy of the first sample (which keeps a defaultdict's default factory), or into a
    plain dict when its type cannot be copied or built from one."""
    elem = batch[0]
    collated = {key: default_collate([sample[key] for sample in batch]) for key in elem}
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(collated)
            return clone
        return type(elem)(collated)
    except TypeError:
        return collated


def _collate_sequence(batch):
    """Position by position: a list for tuples (as torch); for other sequences, one of their type if it can
    be built, else a list."""
    elem = batch[0]
    if any(len(sample) != len(elem) for sample in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    collated = [default_collate(samples) for samples in zip(*batch)]
    if isinstance(elem, tuple):
        return collated
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, value in enumerate(collated):
                clone[i] = value
            return clone
        return type(elem)(collated)
    except TypeError:
        return collated
