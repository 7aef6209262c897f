"""default_collate: a list of samples -> one batch; default_convert: one sample, unbatched (torch.utils.data)."""
import collections
import copy

import numpy as np

from ... import _dtype
from ..._creation import as_tensor, tensor
from ..._functions.shape import stack
from ..._tensor import Tensor

__all__ = ["default_collate", "default_convert"]

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


def default_convert(data):
    """What a DataLoader with ``batch_size=None`` does to each sample, as torch: numpy arrays and numpy
    scalars become tensors of their dtype (arrays of strings or objects stay as they are), recursively
    through mappings, namedtuples and sequences; a tuple becomes a list (as torch, for backwards
    compatibility); tensors, Python numbers and strings are passed on unchanged."""
    if isinstance(data, (np.ndarray, np.bool_, np.number)):
        return data if data.dtype.kind in "SUO" else as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        return _like_mapping(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return type(data)(*(default_convert(value) for value in data))
    if isinstance(data, tuple):
        return [default_convert(value) for value in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _like_sequence(data, [default_convert(value) for value in data])
    return data


def _collate_mapping(batch):
    """Key by key, into a mapping of the first sample's type."""
    return _like_mapping(batch[0], {key: default_collate([sample[key] for sample in batch]) for key in batch[0]})


def _collate_sequence(batch):
    """Position by position: a list for tuples (as torch), else a sequence of the first sample's type."""
    elem = batch[0]
    if any(len(sample) != len(elem) for sample in batch):
        raise RuntimeError("each element in list of batch should be of equal size")
    collated = [default_collate(samples) for samples in zip(*batch)]
    return collated if isinstance(elem, tuple) else _like_sequence(elem, collated)


def _like_mapping(elem, values):
    """The dict ``values`` as a mapping of ``elem``'s type: a copy of ``elem`` updated with them (which keeps
    a defaultdict's default factory), or a plain dict when that type cannot be copied or built from one."""
    try:
        if isinstance(elem, collections.abc.MutableMapping):
            clone = copy.copy(elem)
            clone.update(values)
            return clone
        return type(elem)(values)
    except TypeError:
        return values


def _like_sequence(elem, values):
    """The list ``values`` as a sequence of ``elem``'s type if one can be made (a copy of ``elem`` with its
    items replaced, or one built from the list), else the list itself."""
    try:
        if isinstance(elem, collections.abc.MutableSequence):
            clone = copy.copy(elem)
            for i, value in enumerate(values):
                clone[i] = value
            return clone
        return type(elem)(values)
    except TypeError:
        return values
