"""minitorch.save / minitorch.load: tensors and state dicts in a file that cannot run code.

``torch.save`` pickles, and unpickling a file someone sent you can execute anything in it. This
format holds only data, so loading is always safe:

    b"MINITORCH2\\n"                       magic line: what the file is, and the format version
    32 bytes                               SHA-256 of everything after it (lengths, header, payload)
    8 + 8 bytes, little-endian             length of the header, length of the payload
    header: UTF-8 JSON                     {"object": the structure (dicts, lists, numbers,
                                           strings...) with each tensor replaced by {"tensor": i},
                                           "arrays": per array, its dtype, shape, offset and
                                           nbytes in the payload}
    payload                                the arrays' raw bytes (C order, little-endian), one after
                                           another

Anything that is not a tensor, a number, a string, None, or a dict/list/tuple of those is
refused at ``save`` (save ``model.state_dict()``, not the model), and so are containers nested
more than ``MAX_DEPTH`` levels deep. ``load`` checks the lengths and the checksum, so any change
to a saved file is caught, and then checks the header field by field (a file forged with a
correct checksum still cannot crash it, or build wrong tensors): every failure is a RuntimeError
naming the file and what is wrong (an empty file is an EOFError, as in torch). The same tensor
saved twice is stored once and loads as one tensor; Parameters load as Parameters.

Format 2 (this one) replaced format 1 (``MINITORCH1``, whose checksum did not cover the header);
format 1 files are refused with a message saying so.
"""
import collections
import hashlib
import json
import math
import os
import struct

import numpy as np

from . import _backend, _dtype
from ._tensor import Tensor

__all__ = ["save", "load"]

MAGIC = b"MINITORCH2\n"
MAX_DEPTH = 100  # how deeply dicts, lists and tuples may be nested: save refuses more, load too
_LENGTHS = struct.Struct("<QQ")  # header length, payload length
_DIGEST = 32  # bytes of a SHA-256
_PREFIX = len(MAGIC) + _DIGEST + _LENGTHS.size
_DTYPES = {d.name: d for d in _dtype.ALL}
_MAX_DIMS = 64  # numpy's limit
_NODES = {"tensor": {"tensor", "device", "requires_grad", "parameter"}, "value": {"value"},
          "dict": {"dict", "ordered"}, "list": {"list"}, "tuple": {"tuple"}}  # each kind's keys


# ----------------------------------------------------------------------------- save
def save(obj, f):
    """Write ``obj`` (tensors, numbers, strings, None, and nested dicts/lists/tuples of them) to ``f``,
    a path or a binary file object."""
    arrays = []
    structure = _encode(obj, arrays, {}, 0)
    table, offset = [], 0
    for array, _ in arrays:
        table.append({"dtype": _dtype.from_numpy(array.dtype).name, "shape": list(array.shape), "offset": offset,
                      "nbytes": array.nbytes})
        offset += array.nbytes
    header = json.dumps({"object": structure, "arrays": table}).encode("utf-8")
    lengths = _LENGTHS.pack(len(header), offset)
    checksum = hashlib.sha256(lengths + header)
    for array, _ in arrays:
        checksum.update(array.tobytes())
    with _open(f, "wb") as out:
        out.write(MAGIC + checksum.digest() + lengths + header)
        for array, _ in arrays:
            out.write(array.tobytes())


def _encode(obj, arrays, seen, depth):
    """The JSON-able structure of ``obj``, found ``depth`` containers deep; tensors' arrays are appended
    to ``arrays`` (with the tensor, which keeps its ``id`` valid)."""
    if depth > MAX_DEPTH:
        raise ValueError(f"minitorch.save cannot store dicts/lists/tuples nested more than {MAX_DEPTH} levels deep "
                         "(does a list or dict contain itself?)")
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
        return {"dict": [[_encode(k, arrays, seen, depth + 1), _encode(v, arrays, seen, depth + 1)]
                         for k, v in obj.items()],
                "ordered": isinstance(obj, collections.OrderedDict)}
    if isinstance(obj, (list, tuple)):
        return {"list" if isinstance(obj, list) else "tuple": [_encode(v, arrays, seen, depth + 1) for v in obj]}
    raise TypeError(f"minitorch.save cannot store an object of type {type(obj).__name__}: only tensors, numbers, "
                    "strings, None, and dicts/lists/tuples of them (to save a model, save model.state_dict())")


# ----------------------------------------------------------------------------- load
def load(f, map_location=None, weights_only=True, **kwargs):
    """Read what ``save`` wrote. ``map_location`` says where each tensor goes, as in torch.load:

    - None: back to the device it was saved from;
    - a device or a string (``"cpu"``, ``"cuda:1"``): every tensor there;
    - a dict of location strings, e.g. ``{"cuda:0": "cpu"}``: tensors saved from a key's location go
      to its value; other tensors go back where they were saved from;
    - a function ``f(storage, location)``. minitorch has no storages, so ``storage`` is the tensor
      itself, loaded on the CPU, and ``location`` is the device it was saved from as a string
      (``"cpu"``, ``"cuda:0"``). Return the tensor to use (``storage``, ``storage.to("cuda:1")``...)
      or None to put it back on ``location``. It is called once per distinct tensor.

    Loading never runs code from the file (``weights_only`` is accepted and is always in effect).
    A damaged file raises a RuntimeError naming the file and what is wrong; an empty one, an EOFError
    (as torch).
    """
    restore = _restore_location(map_location)
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else getattr(f, "name", repr(f))
    with _open(f, "rb") as source:
        data = source.read()
    if not data:  # torch's class for an empty file (pickle ran out of input), which code may catch
        raise EOFError(f"{name}: the file is empty (0 bytes): nothing was saved in it, or it was read to its end")
    try:
        header, payload = _split(data)
        decoder = _Decoder(_arrays(header["arrays"], payload), restore)
        obj = decoder.decode(header["object"], 0)
        decoder.check_all_used()
        return obj
    except _Damaged as err:
        raise RuntimeError(f"{name}: {err}") from None


class _Damaged(Exception):
    """What is wrong with a file; ``load`` turns it into a RuntimeError that also names the file."""


def _split(data):
    """The parsed header and the payload of a file's bytes, once its lengths and checksum are right."""
    if not data.startswith(MAGIC) and not MAGIC.startswith(data):  # (an empty or cut magic line is truncated)
        if data.startswith(b"MINITORCH"):
            first_line = data[:len(MAGIC) + 8].split(b"\n")[0]
            raise _Damaged(f"written in another format of minitorch.save (it starts with {first_line!r}; "
                           f"this minitorch reads {MAGIC[:-1]!r}): load it with the version that saved it and save "
                           "it again")
        raise _Damaged(f"not a file written by minitorch.save (it does not start with {MAGIC!r}); minitorch "
                       "cannot read torch's pickle files")
    if len(data) < _PREFIX:
        raise _Damaged(f"truncated: the file is {len(data)} bytes, shorter than its {_PREFIX}-byte prefix")
    header_length, payload_length = _LENGTHS.unpack_from(data, len(MAGIC) + _DIGEST)
    expected = _PREFIX + header_length + payload_length
    if len(data) != expected:
        raise _Damaged(f"truncated or padded: its prefix promises a {header_length}-byte header and {payload_length} "
                       f"bytes of tensor data, {expected} bytes in all, but the file holds {len(data)} bytes")
    view = memoryview(data)
    if hashlib.sha256(view[len(MAGIC) + _DIGEST:]).digest() != data[len(MAGIC):len(MAGIC) + _DIGEST]:
        raise _Damaged("checksum mismatch: the file was changed after it was saved")
    return _parse_header(data[_PREFIX:_PREFIX + header_length]), view[_PREFIX + header_length:]


def _parse_header(raw):
    """The header's JSON as a dict with the keys "object" and "arrays"."""
    try:
        header = json.loads(raw.decode("utf-8"))
    except ValueError as err:  # not UTF-8, not JSON, or a number too long to read
        raise _Damaged(f"the header is damaged (not valid JSON: {err})") from None
    except RecursionError:
        raise _Damaged(f"the header is nested too deeply (minitorch.save nests at most {MAX_DEPTH} levels)") from None
    _expect_keys(header, {"object", "arrays"}, "the header")
    return header


def _expect_keys(node, keys, what):
    """Check that ``node`` is a JSON object with exactly the keys ``keys``."""
    if not isinstance(node, dict) or set(node) != keys:
        found = f"keys {sorted(node)}" if isinstance(node, dict) else f"a {type(node).__name__}"
        raise _Damaged(f"{what} should be a JSON object with the keys {sorted(keys)}, found {found}")


def _is_count(x):
    """A non-negative int (JSON's true/false and 2.0 are not)."""
    return type(x) is int and x >= 0


def _arrays(table, payload):
    """The arrays the header's table describes, checked entry by entry and cut from the payload, where
    ``save`` puts them one after another."""
    if not isinstance(table, list):
        raise _Damaged(f"the header's 'arrays' should be a list, found a {type(table).__name__}")
    arrays, offset = [], 0
    for i, entry in enumerate(table):
        _expect_keys(entry, {"dtype", "shape", "offset", "nbytes"}, f"array {i}")
        dtype, shape = _array_type(entry, i)
        if not _is_count(entry["offset"]) or entry["offset"] != offset:
            raise _Damaged(f"array {i}: offset {entry['offset']!r} should be {offset}, where the previous array ends")
        nbytes = math.prod(shape) * dtype.itemsize
        if not _is_count(entry["nbytes"]) or entry["nbytes"] != nbytes:
            raise _Damaged(f"array {i}: nbytes {entry['nbytes']!r} should be {nbytes} for shape {shape} of "
                           f"{dtype.name}")
        if offset + nbytes > len(payload):
            raise _Damaged(f"array {i}: its bytes {offset} to {offset + nbytes} lie beyond the {len(payload)} bytes "
                           "of tensor data")
        little_endian = np.frombuffer(payload[offset:offset + nbytes], dtype.numpy.newbyteorder("<"))
        arrays.append(little_endian.reshape(shape).astype(dtype.numpy))  # a native, writable copy
        offset += nbytes
    if offset != len(payload):
        raise _Damaged(f"the arrays fill {offset} bytes, but the file holds {len(payload)} bytes of tensor data")
    return arrays


def _array_type(entry, i):
    """The minitorch dtype and the shape of entry ``i`` of the array table, checked."""
    dtype = _DTYPES.get(entry["dtype"]) if isinstance(entry["dtype"], str) else None
    if dtype is None:
        raise _Damaged(f"array {i}: dtype {entry['dtype']!r} is not one of {', '.join(_DTYPES)}")
    shape = entry["shape"]
    if not isinstance(shape, list) or len(shape) > _MAX_DIMS or not all(_is_count(s) for s in shape):
        raise _Damaged(f"array {i}: shape {shape!r} should be a list of at most {_MAX_DIMS} non-negative integers")
    return dtype, shape


class _Decoder:
    """Rebuilds the saved object from the header's structure, checking each node as it goes."""

    def __init__(self, arrays, restore):
        self.arrays, self.restore, self.made = arrays, restore, {}

    def decode(self, node, depth):
        """The object ``node`` describes, found ``depth`` containers deep."""
        if depth > MAX_DEPTH:
            raise _Damaged(f"the structure is nested more than {MAX_DEPTH} levels deep")
        kind = _kind(node)
        if kind == "tensor":
            return self.tensor(node)
        if kind == "value":
            if isinstance(node["value"], (list, dict)):
                raise _Damaged(f"a value should be a number, a string, true, false or null, found a "
                               f"{type(node['value']).__name__}")
            return node["value"]
        if kind == "dict":
            return self.mapping(node, depth)
        items = _expect_list(node[kind], f"a {kind}'s items")
        values = [self.decode(item, depth + 1) for item in items]
        return values if kind == "list" else tuple(values)

    def mapping(self, node, depth):
        """A dict (or OrderedDict) from its [key, value] pairs."""
        if not isinstance(node["ordered"], bool):
            raise _Damaged(f"a dict's 'ordered' should be true or false, found {node['ordered']!r:.80}")
        pairs = []
        for pair in _expect_list(node["dict"], "a dict's items"):
            if not isinstance(pair, list) or len(pair) != 2:
                raise _Damaged(f"a dict's item should be a [key, value] pair, found {pair!r:.80}")
            key, value = self.decode(pair[0], depth + 1), self.decode(pair[1], depth + 1)
            try:
                hash(key)
            except TypeError:
                raise _Damaged(f"a dict key is a {type(key).__name__} holding a list or dict, which cannot be a "
                               "key") from None
            pairs.append((key, value))
        return collections.OrderedDict(pairs) if node["ordered"] else dict(pairs)

    def tensor(self, node):
        """The tensor a {"tensor": i, ...} node refers to: made once, then shared."""
        index = node["tensor"]
        if not _is_count(index) or index >= len(self.arrays):
            raise _Damaged(f"a tensor refers to array {index!r:.80}, but the header lists arrays 0 to "
                           f"{len(self.arrays) - 1}")
        if index not in self.made:
            location, array = _location(node), self.arrays[index]
            _check_flags(node, array, index)
            tensor = self.restore(Tensor._make(array), location)
            self.made[index] = _with_flags(tensor, node["requires_grad"], node["parameter"])
        return self.made[index]

    def check_all_used(self):
        """Every array in the table belongs to some tensor of the structure."""
        if len(self.made) != len(self.arrays):
            raise _Damaged(f"the header lists {len(self.arrays)} arrays, but the structure uses {len(self.made)}")


def _kind(node):
    """Which kind of node (a key of ``_NODES``) this is, once it is checked to have exactly that kind's keys."""
    kinds = [kind for kind in _NODES if isinstance(node, dict) and kind in node]
    if len(kinds) != 1:
        found = f"keys {sorted(node)}" if isinstance(node, dict) else f"a {type(node).__name__}"
        raise _Damaged(f"each node of the structure should be a JSON object with one of the keys {list(_NODES)}, "
                       f"found {found}")
    _expect_keys(node, _NODES[kinds[0]], f"a {kinds[0]} node")
    return kinds[0]


def _expect_list(items, what):
    if not isinstance(items, list):
        raise _Damaged(f"{what} should be a list, found a {type(items).__name__}")
    return items


def _location(node):
    """The device string a tensor node was saved from ("cpu", "cuda:0"), checked."""
    location = node["device"]
    if not isinstance(location, str):
        raise _Damaged(f"a tensor's device should be a string such as 'cpu', found {location!r:.80}")
    try:
        return str(_backend.device(location))
    except RuntimeError:
        raise _Damaged(f"a tensor's device {location!r:.80} is not a device") from None


def _check_flags(node, array, index):
    """A tensor node's requires_grad and parameter flags are booleans, and make sense for its dtype."""
    flags = node["requires_grad"], node["parameter"]
    if not all(isinstance(flag, bool) for flag in flags):
        raise _Damaged(f"array {index}'s requires_grad and parameter should be true or false, found {flags!r:.80}")
    if node["requires_grad"] and array.dtype.kind not in "fc":
        raise _Damaged(f"array {index} is {_dtype.from_numpy(array.dtype).name}, but requires_grad is true: only "
                       "floating point and complex tensors can require gradients")


def _with_flags(tensor, requires_grad, parameter):
    """``tensor`` as it was saved: a Parameter, and/or requiring grad."""
    if parameter:
        from .nn.parameter import Parameter
        return Parameter(tensor, requires_grad)
    return tensor.requires_grad_(True) if requires_grad else tensor


# ----------------------------------------------------------------------------- map_location
def _restore_location(map_location):
    """``map_location`` as a function (cpu_tensor, saved_location) -> tensor, for each of torch's forms."""
    if map_location is None:
        return _default_restore
    if isinstance(map_location, dict):
        return lambda tensor, location: _default_restore(tensor, str(map_location.get(location, location)))
    if isinstance(map_location, (str, _backend.device)):
        target = str(_backend.device(map_location))  # a bad device string fails now, with torch's message
        return lambda tensor, location: _default_restore(tensor, target)
    if callable(map_location):
        return lambda tensor, location: _call_map_location(map_location, tensor, location)
    raise TypeError(f"map_location should be a device, a string, a dict or a function, got "
                    f"{type(map_location).__name__}")


def _default_restore(tensor, location):
    """``tensor`` moved to the device named by the string ``location``."""
    device = _backend.device(location)
    if device.type == "cuda" and not _backend.cuda_is_available():
        raise RuntimeError("Attempting to deserialize object on a CUDA device but minitorch.cuda.is_available() is "
                           "False. If you are running on a CPU-only machine, please use minitorch.load with "
                           "map_location='cpu' to map your tensors to the CPU.")
    return tensor.to(_backend.as_device(device))


def _call_map_location(function, tensor, location):
    """torch's contract for a map_location function: its result, or the saved location's when it returns None."""
    result = function(tensor, location)
    if result is None:
        return _default_restore(tensor, location)
    if not isinstance(result, Tensor):
        raise TypeError(f"map_location's function should return a Tensor (or None to keep the saved location "
                        f"{location!r}), but it returned a {type(result).__name__}")
    return result


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
