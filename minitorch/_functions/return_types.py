"""``torch.return_types``: the named tuples that ops returning several tensors give back.

``torch.sort(x)`` returns ``torch.return_types.sort(values=..., indices=...)``: a tuple you can
unpack (``values, indices = x.sort()``) or read by name (``x.sort().indices``), printed as torch
prints it.
"""
import collections


def _repr(self):
    fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
    return f"torch.return_types.{type(self).__name__}(\n{fields})"


def return_type(name, fields=("values", "indices")):
    """A named tuple class called ``name`` with ``fields`` that prints as ``torch.return_types.<name>``."""
    base = collections.namedtuple(name, fields)
    return type(name, (base,), {"__slots__": (), "__repr__": _repr, "__module__": "torch.return_types"})


sort = return_type("sort")
topk = return_type("topk")
kthvalue = return_type("kthvalue")
median = return_type("median")
nanmedian = return_type("nanmedian")
mode = return_type("mode")
cummax = return_type("cummax")
cummin = return_type("cummin")
aminmax = return_type("aminmax", ("min", "max"))
