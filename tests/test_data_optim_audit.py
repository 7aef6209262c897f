"""Regressions found by comparing utils.data, save/load and optim with torch: each runs the same program in
both libraries (torch is the oracle) and compares values, types and exception classes."""
import collections
import io

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import minitorch
from minitorch.utils import data
from oracle import raises

Point = collections.namedtuple("Point", "x y")


def same(mine, theirs):
    """The same nested structure (container types included), tensors with equal values and dtypes."""
    if isinstance(theirs, torch.Tensor):
        assert isinstance(mine, minitorch.Tensor) and str(mine.dtype) == str(theirs.dtype)
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    elif isinstance(theirs, dict):
        assert type(mine) is type(theirs) and list(mine) == list(theirs)
        for key in theirs:
            same(mine[key], theirs[key])
    elif isinstance(theirs, (list, tuple)):
        assert type(mine).__name__ == type(theirs).__name__ and len(mine) == len(theirs)
        for a, b in zip(mine, theirs):
            same(a, b)
    else:
        assert type(mine) is type(theirs) and mine == theirs


def numpy_samples():
    return [np.ones(2, np.float32), np.arange(3.0), np.int32(3), np.float64(1.5), np.bool_(True), np.array(2),
            (np.ones(2), 1, "a"), [np.ones(2), (np.int64(1),)], {"a": np.ones(1), "b": [np.zeros(1)]},
            Point(np.ones(1), 2), 3, 2.5, "abc", None, range(3), collections.OrderedDict(a=np.ones(1))]


@pytest.mark.parametrize("sample", numpy_samples(), ids=lambda s: type(s).__name__)
def test_default_convert_matches_torch(sample):
    same(data.default_convert(sample), tdata.default_convert(sample))


def test_default_convert_leaves_tensors_and_string_arrays_alone():
    t = minitorch.ones(2)
    assert data.default_convert(t) is t
    strings = np.array(["a", "b"])
    assert data.default_convert(strings) is strings and tdata.default_convert(strings) is strings


class NumpyDataset:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return np.full(2, i, np.float32), np.int64(i), {"k": np.float64(i)}


def test_unbatched_loader_converts_samples_as_torch():
    """batch_size=None used to pass samples on untouched: tuples stayed tuples, numpy stayed numpy."""
    same(list(data.DataLoader(NumpyDataset(), batch_size=None)), list(tdata.DataLoader(NumpyDataset(),
                                                                                        batch_size=None)))
    mine = data.TensorDataset(minitorch.arange(6.0).view(3, 2), minitorch.arange(3))
    theirs = tdata.TensorDataset(torch.arange(6.0).view(3, 2), torch.arange(3))
    same(list(data.DataLoader(mine, batch_size=None)), list(tdata.DataLoader(theirs, batch_size=None)))


def streams(lib, lengths=(7,), sized=True):
    utils = data if lib is minitorch else tdata

    def make(n):
        body = {"__iter__": lambda self: iter(range(n))}
        if sized:
            body["__len__"] = lambda self: n
        return type("Stream", (utils.IterableDataset,), body)()

    return [make(n) for n in lengths]


@pytest.mark.parametrize("batch_size, drop_last", [(None, False), (1, False), (3, False), (3, True), (7, True)])
def test_len_of_a_loader_over_a_sized_stream_matches_torch(batch_size, drop_last):
    mine = data.DataLoader(streams(minitorch)[0], batch_size=batch_size, drop_last=drop_last)
    theirs = tdata.DataLoader(streams(torch)[0], batch_size=batch_size, drop_last=drop_last)
    assert len(mine) == len(theirs) == len(list(theirs))


def test_len_of_a_loader_over_an_unsized_stream_is_a_type_error():
    with raises(TypeError, "Stream", "has no len()"):
        len(data.DataLoader(streams(minitorch, sized=False)[0], batch_size=2))
    with pytest.raises(TypeError):
        len(tdata.DataLoader(streams(torch, sized=False)[0], batch_size=2))


def test_adding_streams_chains_them_as_torch():
    mine, theirs = streams(minitorch, (3, 2)), streams(torch, (3, 2))
    chained = mine[0] + mine[1]
    assert type(chained) is data.ChainDataset and type(theirs[0] + theirs[1]) is tdata.ChainDataset
    assert list(chained) == list(theirs[0] + theirs[1]) == [0, 1, 2, 0, 1]
    assert len(chained) == len(tdata.ChainDataset(theirs)) == 5
    same(list(data.DataLoader(chained, batch_size=2)), list(tdata.DataLoader(theirs[0] + theirs[1], batch_size=2)))


def test_chain_and_concat_refuse_the_wrong_kind_of_dataset_as_torch():
    for lib, utils in [(minitorch, data), (torch, tdata)]:
        with pytest.raises(AssertionError):
            list(utils.ChainDataset([streams(lib)[0], [1, 2]]))
        with pytest.raises(AssertionError):
            utils.ConcatDataset([range(3), streams(lib)[0]])
    with raises(AssertionError, "ConcatDataset does not support IterableDataset", "ChainDataset"):
        data.ConcatDataset([range(3), streams(minitorch)[0]])


def test_an_iterable_dataset_without_iter_cannot_be_made_as_torch():
    for utils in (data, tdata):
        with pytest.raises(TypeError):
            type("NoIter", (utils.IterableDataset,), {})()
        with pytest.raises(TypeError):
            utils.IterableDataset()


def test_stack_dataset_matches_torch():
    x, tx = minitorch.arange(20.0).view(10, 2), torch.arange(20.0).view(10, 2)
    same(data.StackDataset(x, range(10))[3], tdata.StackDataset(tx, range(10))[3])
    same(data.StackDataset(x=x, y=range(10))[2], tdata.StackDataset(x=tx, y=range(10))[2])
    assert len(data.StackDataset(x=x, y=range(10))) == 10
    same(list(data.DataLoader(data.StackDataset(x=x, y=range(10)), batch_size=4)),
         list(tdata.DataLoader(tdata.StackDataset(x=tx, y=range(10)), batch_size=4)))
    for args, kwargs in [((x, range(9)), {}), ((), dict(a=x, b=range(9))), ((x,), dict(b=range(10))), ((), {})]:
        with pytest.raises(ValueError):
            tdata.StackDataset(*args, **kwargs)
        with pytest.raises(ValueError):
            data.StackDataset(*args, **kwargs)


def test_subset_keeps_its_indices_as_given_as_torch():
    assert data.Subset(range(10), range(2, 5)).indices == tdata.Subset(range(10), range(2, 5)).indices == range(2, 5)
    mine = data.Subset(data.TensorDataset(minitorch.arange(10)), minitorch.tensor([4, 2]))
    theirs = tdata.Subset(tdata.TensorDataset(torch.arange(10)), torch.tensor([4, 2]))
    same(mine[1], theirs[1])


def test_random_sampler_refuses_a_non_bool_replacement_as_torch():
    for utils in (data, tdata):
        with pytest.raises(TypeError, match="replacement should be a boolean value, but got replacement=1"):
            utils.RandomSampler(range(3), replacement=1)


@pytest.mark.parametrize("name", ["Adam", "AdamW", "Adamax", "NAdam", "RAdam"])
def test_a_single_beta_fails_at_construction_as_torch(name):
    """minitorch used to accept betas=(0.9,) and only fail at the first step."""
    with pytest.raises(IndexError):
        getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(1))], betas=(0.9,))
    with raises(IndexError, "betas should hold two values", "(0.9,)"):
        getattr(minitorch.optim, name)([minitorch.nn.Parameter(minitorch.ones(1))], betas=(0.9,))
    with raises(ValueError, "Invalid beta parameter at index 1: 1.0"):
        getattr(minitorch.optim, name)([minitorch.nn.Parameter(minitorch.ones(1))], betas=(0.9, 1.0))


def test_loading_an_empty_file_is_an_eof_error_as_torch(tmp_path):
    with pytest.raises(EOFError):
        torch.load(io.BytesIO(b""))
    empty = tmp_path / "empty.mt"
    empty.write_bytes(b"")
    with raises(EOFError, "empty.mt", "empty"):
        minitorch.load(empty)
    with raises(RuntimeError, "truncated: the file is 5 bytes"):
        minitorch.load(io.BytesIO(b"MINIT"))
