"""minitorch.save / minitorch.load: tensors and state dicts in a file that cannot run code.

``torch.save`` pickles, and unpickling a file someone sent you can execute anything in it. This
format holds only data, so loading is always safe:

    b"MINITORCH1\\n"                       magic line: what the file is, and the format version
    8 bytes, little-endian                 length of the header
    header: UTF-8 JSON                     the structure (dicts, lists, numbers, strings...) with
                                           each tensor replaced by {"tensor": i}, plus, per array,
                                           its dtype, shape, offset and length in the payload, and
                                           the SHA-256 of the payload
    payload                                the arrays' raw bytes (C order, little-endian), one after
                                           another

Anything that is not a tensor, a number, a string, None, or a dict/list/tuple of those is
refused at ``save`` (save ``model.state_dict()``, not the model). A truncated or altered file
fails ``load`` with an error naming the file and what is wrong. The same tensor saved twice is
stored once and loads as one tensor; Parameters load as Parameters.
"""
import collections
import hashlib
import json
import os
import struct

import numpy as np

from . import _backend, _dtype
from ._tensor import Tensor

__all__ = ["save", "load"]

MAGIC = b"MINITORCH1\n"
_LENGTH = struct.Struct("<Q")


def save(obj, f):
    """Write ``obj`` (tensors, numbers, strings, None, and nested dicts/lists/tuples of them) to ``f``,
    a path or a binary file object."""
    arrays, seen = [], {}
    structure = _encode(obj, arrays, seen)
    table, offset = [], 0
    for array, _ in arrays:
        table.append({"dtype": _dtype.from_numpy(array.dtype).name, "shape": list(array.shape), "offset": offset,
                      "nbytes": array.nbytes})
        offset += array.nbytes
    payload_hash = hashlib.sha256()
    for array, _ in arrays:
        payload_hash.update(array.tobytes())
    header = json.dumps({"object": structure, "arrays": table, "payload_bytes": offset,
                         "payload_sha256": payload_hash.hexdigest()}).encode("utf-8")
    with _open(f, "wb") as out:
        out.write(MAGIC + _LENGTH.pack(len(header)) + header)
        for array, _ in arrays:
            out.write(array.tobytes())


def _encode(obj, arrays, seen):
    """The JSON-able structure of ``obj``; tensors' arrays are appended to ``arrays``."""
    if isinstance(obj, Tensor):
        if id(obj) not in seen:
            host = obj.detach().cpu().array
            seen[id(obj)] = len(arrays)
            arrays.append((host.astype(host.dtype.newbyteorder("<"), order="C", copy=False), obj))
        from .nn.parameter import Parameter
        return {"tensor": seen[id(obj)], "device": str(obj.device), "requires_grad": obj.requires_grad,
                "parameter": isinstance(obj, Parameter)}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return {"value": obj}
    if isinstance(obj, collections.abc.Mapping):
        return {"dict": [[_encode(k, arrays, seen), _encode(v, arrays, seen)] for k, v in obj.items()],
                "ordered": isinstance(obj, collections.OrderedDict)}
    if isinstance(obj, (list, tuple)):
        return {"list" if isinstance(obj, list) else "tuple": [_encode(v, arrays, seen) for v in obj]}
    raise TypeError(f"minitorch.save cannot store an object of type {type(obj).__name__}: only tensors, numbers, "
                    "strings, None, and dicts/lists/tuples of them (to save a model, save model.state_dict())")


def load(f, map_location=None, weights_only=True, **kwargs):
    """Read what ``save`` wrote. ``map_location`` (e.g. "cpu") puts every tensor on that device."""
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else getattr(f, "name", repr(f))
    with _open(f, "rb") as source:
        data = source.read()
    header, payload = _split(data, name)
    arrays = _arrays(header, payload, name)
    try:
        return _decode(header["object"], arrays, {}, map_location)
    except (KeyError, IndexError, TypeError, ValueError) as err:
        raise RuntimeError(f"{name}: the file's structure is damaged ({type(err).__name__}: {err})") from None


def _split(data, name):
    if not data.startswith(MAGIC):
        raise RuntimeError(f"{name}: not a file written by minitorch.save (it does not start with {MAGIC!r}); "
                           "minitorch cannot read torch's pickle files")
    start = len(MAGIC) + _LENGTH.size
    if len(data) < start:
        raise RuntimeError(f"{name}: truncated: the file ends inside its header length")
    length, = _LENGTH.unpack_from(data, len(MAGIC))
    if len(data) < start + length:
        raise RuntimeError(f"{name}: truncated: the header should be {length} bytes, but only "
                           f"{len(data) - start} bytes follow")
    try:
        header = json.loads(data[start:start + length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RuntimeError(f"{name}: the header is damaged (not valid JSON: {err})") from None
    return header, data[start + length:]


def _arrays(header, payload, name):
    expected = header.get("payload_bytes")
    if len(payload) != expected:
        raise RuntimeError(f"{name}: truncated or padded: the header promises {expected} bytes of tensor data, "
                           f"the file holds {len(payload)}")
    if hashlib.sha256(payload).hexdigest() != header.get("payload_sha256"):
        raise RuntimeError(f"{name}: checksum mismatch: the tensor data was changed after it was saved")
    arrays = []
    for entry in header["arrays"]:
        dtype = _dtype.to_dtype(entry["dtype"]).numpy.newbyteorder("<")
        if int(np.prod(entry["shape"])) * dtype.itemsize != entry["nbytes"]:
            raise RuntimeError(f"{name}: the header is damaged: shape {entry['shape']} of {entry['dtype']} does not "
                               f"need {entry['nbytes']} bytes")
        chunk = payload[entry["offset"]:entry["offset"] + entry["nbytes"]]
        arrays.append(np.frombuffer(chunk, dtype=dtype).reshape(entry["shape"]).astype(dtype.newbyteorder("=")))
    return arrays


def _decode(node, arrays, made, map_location):
    if "tensor" in node:
        index = node["tensor"]
        if index not in made:
            device = _backend.as_device(map_location if map_location is not None else node["device"])
            tensor = Tensor._make(_backend.to_device(arrays[index], device))
            if node["parameter"]:
                from .nn.parameter import Parameter
                tensor = Parameter(tensor, node["requires_grad"])
            elif node["requires_grad"]:
                tensor.requires_grad_(True)
            made[index] = tensor
        return made[index]
    if "value" in node:
        return node["value"]
    if "dict" in node:
        pairs = [(_decode(k, arrays, made, map_location), _decode(v, arrays, made, map_location))
                 for k, v in node["dict"]]
        return collections.OrderedDict(pairs) if node["ordered"] else dict(pairs)
    if "list" in node:
        return [_decode(v, arrays, made, map_location) for v in node["list"]]
    return tuple(_decode(v, arrays, made, map_location) for v in node["tuple"])


class _open:
    """Open a path, or use an open binary file as it is (without closing it)."""

    def __init__(self, f, mode):
        self.f, self.mode, self.opened = f, mode, None

    def __enter__(self):
        if isinstance(self.f, (str, os.PathLike)):
            self.opened = open(self.f, self.mode)
            return self.opened
        return self.f

    def __exit__(self, *args):
        if self.opened is not None:
            self.opened.close()
