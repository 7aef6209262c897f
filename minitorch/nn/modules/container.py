"""Containers: modules that hold other modules.

- ``Sequential(a, b, c)``: ``forward(x)`` is ``c(b(a(x)))``; index it, slice it, append to it.
- ``ModuleList([...])``: a list whose modules are registered (a plain Python list would hide
  them from ``parameters()``, the classic bug).
- ``ModuleDict({...})``: the same, keyed by name.

Children are registered under the names "0", "1", ... (or the dict keys), so parameters are
named "0.weight", "1.bias"... in ``state_dict``, exactly as torch names them.
"""
import collections
import operator

from .module import Module, _addindent


def _index(idx, size):
    """A list index checked and made non-negative, with torch's IndexError."""
    idx = operator.index(idx)
    if not -size <= idx < size:
        raise IndexError(f"index {idx} is out of range")
    return idx % size


class _NumberedModules(Module):
    """What Sequential and ModuleList share: submodules named "0", "1", ... in order, kept numbered
    without gaps as modules are appended, inserted or deleted."""

    def __delitem__(self, idx):
        keys = list(self._modules)
        for key in keys[idx] if isinstance(idx, slice) else [keys[_index(idx, len(self))]]:
            del self._modules[key]
        self._renumber(list(self._modules.values()))

    def _renumber(self, modules):
        self._modules.clear()
        for i, module in enumerate(modules):
            self.add_module(str(i), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Add ``module`` at the end."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)
        return self

    def pop(self, key):
        """Remove and return the module at index ``key`` (a slice returns a container of the removed
        modules); the modules after it are renumbered, as torch does."""
        removed = self[key]
        del self[key]
        return removed


class Sequential(_NumberedModules):
    """Modules applied one after the other: ``Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))``.
    Also takes one OrderedDict of name -> module."""

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def forward(self, input):
        for module in self._modules.values():
            input = module(input)
        return input

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(collections.OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_index(idx, len(self))]

    def __setitem__(self, idx, module):
        key = list(self._modules)[_index(idx, len(self))]
        self.add_module(key, module)

    def __add__(self, other):
        if not isinstance(other, Sequential):
            raise ValueError(f"add operator supports only objects of Sequential class, but {type(other)} is given.")
        return Sequential(*self, *other)


class ModuleList(_NumberedModules):
    """A list of modules, registered so that ``parameters()`` and ``to()`` see them."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_index(idx, len(self)))]

    def __setitem__(self, idx, module):
        self.add_module(str(_index(idx, len(self))), module)

    def __add__(self, other):
        """A new ModuleList: this one's modules, then those of ``other`` (any iterable of modules)."""
        return ModuleList([*self, *other])

    def __iadd__(self, modules):
        return self.extend(modules)

    def __repr__(self):
        """Runs of identical modules print once: ``(0-2): 3 x Linear(...)``, as torch does."""
        reprs = [repr(module) for module in self]
        if not reprs:
            return self._get_name() + "()"
        runs = []  # [first index, last index, repr]
        for i, text in enumerate(reprs):
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        lines = [_addindent(f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}", 2)
                 for a, b, text in runs]
        return self._get_name() + "(\n  " + "\n  ".join(lines) + "\n)"


class ModuleDict(Module):
    """An ordered dict name -> module, registered so that ``parameters()`` and ``to()`` see them."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def clear(self):
        self._modules.clear()

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def keys(self):
        return self._modules.keys()

    def items(self):
        return self._modules.items()

    def values(self):
        return self._modules.values()

    def update(self, modules):
        """Add (or replace) modules from a mapping or from (name, module) pairs."""
        if isinstance(modules, (collections.abc.Mapping, ModuleDict)):
            pairs = modules.items()
        elif isinstance(modules, collections.abc.Iterable):
            pairs = list(modules)
            for j, pair in enumerate(pairs):
                if not isinstance(pair, collections.abc.Iterable):
                    raise TypeError(f"ModuleDict update sequence element #{j} should be Iterable; is"
                                    f"{type(pair).__name__}")
                if len(pair) != 2:
                    raise ValueError(f"ModuleDict update sequence element #{j} has length {len(pair)}; "
                                     "2 is required")
        else:
            raise TypeError("ModuleDict.update should be called with an iterable of key/value pairs, but got "
                            + type(modules).__name__)
        for key, module in pairs:
            self[key] = module
