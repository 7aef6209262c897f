"""minitorch.utils.data against torch.utils.data: batches, shuffling, samplers, collation, splits."""
import collections
import types
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data as tdata

import minitorch
from minitorch.utils import data
from oracle import raises


def dataset(lib, n=10):
    return (data if lib is minitorch else tdata).TensorDataset(lib.arange(2 * n).view(n, 2).float(), lib.arange(n))


@pytest.mark.parametrize("batch_size, drop_last", [(1, False), (3, False), (3, True), (10, False), (12, True)])
def test_sequential_batches_match_torch(batch_size, drop_last):
    mine = data.DataLoader(dataset(minitorch), batch_size=batch_size, drop_last=drop_last)
    theirs = tdata.DataLoader(dataset(torch), batch_size=batch_size, drop_last=drop_last)
    assert len(mine) == len(theirs)
    mine_batches, their_batches = list(mine), list(theirs)
    assert len(mine_batches) == len(their_batches)
    for (x, y), (tx, ty) in zip(mine_batches, their_batches):
        np.testing.assert_array_equal(x.numpy(), tx.numpy())
        np.testing.assert_array_equal(y.numpy(), ty.numpy())
        assert x.dtype == minitorch.float32 and y.dtype == minitorch.int64


def test_shuffle_is_a_permutation_reproducible_under_manual_seed():
    loader = data.DataLoader(dataset(minitorch, 50), batch_size=8, shuffle=True)
    minitorch.manual_seed(1)
    first = [y.tolist() for _, y in loader]
    second = [y.tolist() for _, y in loader]
    minitorch.manual_seed(1)
    again = [y.tolist() for _, y in loader]
    assert first == again and first != second
    assert sorted(sum(first, [])) == list(range(50))


def test_default_collate_matches_torch():
    samples = [{"x": (1, 2.5), "name": "a", "t": [np.ones(2), True]}, {"x": (3, 4.5), "name": "b",
                                                                           "t": [np.zeros(2), False]}]
    mine, theirs = data.default_collate(samples), tdata.default_collate(samples)
    assert mine["name"] == theirs["name"] == ["a", "b"]
    for m, t in zip(mine["x"] + mine["t"], theirs["x"] + theirs["t"]):
        assert str(m.dtype) == str(t.dtype)
        np.testing.assert_array_equal(m.numpy(), t.numpy())
    stacked = data.default_collate([minitorch.ones(2, 3), minitorch.zeros(2, 3)])
    assert stacked.shape == (2, 2, 3)


def test_collate_fn_sampler_and_batch_sampler():
    ds = dataset(minitorch)
    loader = data.DataLoader(ds, batch_size=4, collate_fn=lambda batch: len(batch))
    assert list(loader) == [4, 4, 2]
    loader = data.DataLoader(ds, batch_size=2, sampler=[9, 0, 5])
    assert [y.tolist() for _, y in loader] == [[9, 0], [5]]
    loader = data.DataLoader(ds, batch_sampler=[[1, 2], [7]])
    assert [y.tolist() for _, y in loader] == [[1, 2], [7]]
    unbatched = data.DataLoader(ds, batch_size=None)
    x, y = next(iter(unbatched))
    assert x.shape == (2,) and y.item() == 0


def test_samplers_match_torch():
    assert list(data.SequentialSampler(range(4))) == list(tdata.SequentialSampler(range(4)))
    batches = list(data.BatchSampler(range(7), 3, False))
    assert batches == list(tdata.BatchSampler(range(7), 3, False))
    assert list(data.BatchSampler(range(7), 3, True)) == list(tdata.BatchSampler(range(7), 3, True))
    assert len(data.BatchSampler(range(7), 3, False)) == 3
    assert sorted(data.RandomSampler(range(6))) == list(range(6))
    assert len(list(data.RandomSampler(range(6), replacement=True, num_samples=20))) == 20
    assert sorted(data.SubsetRandomSampler([3, 5, 7])) == [3, 5, 7]


def test_random_split_lengths_and_fractions():
    minitorch.manual_seed(0)
    parts = data.random_split(range(10), [3, 7])
    assert [len(p) for p in parts] == [3, 7]
    assert sorted(parts[0][i] for i in range(3)) + sorted(parts[1][i] for i in range(7)) != []
    assert sorted([parts[0][i] for i in range(3)] + [parts[1][i] for i in range(7)]) == list(range(10))
    fractions = data.random_split(range(10), [0.33, 0.33, 0.34])
    assert [len(p) for p in fractions] == [len(p) for p in tdata.random_split(range(10), [0.33, 0.33, 0.34])]
    with raises(ValueError, "Sum of input lengths does not equal the length of the input dataset!"):
        data.random_split(range(10), [3, 3])


def test_subset_concat_and_custom_dataset():
    class Squares(data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return minitorch.tensor(float(i * i)), i

    subset = data.Subset(Squares(), [4, 1])
    assert subset[0][1] == 4 and len(subset) == 2
    both = Squares() + Squares()
    assert len(both) == 10 and both[7][1] == 2
    x, i = next(iter(data.DataLoader(Squares(), batch_size=5)))
    assert x.tolist() == [0.0, 1.0, 4.0, 9.0, 16.0] and i.tolist() == [0, 1, 2, 3, 4]


def test_iterable_dataset():
    class Stream(data.IterableDataset):
        def __iter__(self):
            return iter(range(5))

    assert [b.tolist() for b in data.DataLoader(Stream(), batch_size=2)] == [[0, 1], [2, 3], [4]]


def test_bad_arguments_match_torch():
    ds = dataset(minitorch)
    with raises(ValueError, "sampler option is mutually exclusive with shuffle"):
        data.DataLoader(ds, shuffle=True, sampler=[0])
    with raises(ValueError, "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
                            "drop_last"):
        data.DataLoader(ds, batch_size=2, batch_sampler=[[0]])
    with raises(ValueError, "batch_size should be a positive integer value, but got batch_size=0"):
        data.DataLoader(ds, batch_size=0)
    with raises(AssertionError, "Size mismatch between tensors"):
        data.TensorDataset(minitorch.ones(3), minitorch.ones(4))


@pytest.mark.parametrize("options", [dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2),
                                     dict(persistent_workers=True)])
def test_worker_options_torch_refuses_are_refused_with_its_message(options):
    errors = []
    for lib in (minitorch, torch):
        with pytest.raises(ValueError) as info:
            lib.utils.data.DataLoader(dataset(lib), **options)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_worker_options_torch_accepts_are_accepted_and_loading_stays_in_this_process():
    loader = data.DataLoader(dataset(minitorch), batch_size=2, num_workers=2, prefetch_factor=4,
                             persistent_workers=True)
    assert [len(batch[0]) for batch in loader] == [len(batch[0]) for batch in
                                                    tdata.DataLoader(dataset(torch), batch_size=2)]


@pytest.mark.parametrize("batch", [
    [np.float32(1), np.float32(2)], [np.int32(1), np.int32(2)], [np.bool_(True), np.bool_(False)],
    [np.float16(1), np.float16(2)], [np.uint8(3)], [np.float32(1), np.float64(2)], [np.int8(1), np.float32(2)],
    [np.float64(1.0), 2], [1.5, 2.5], [1, 2], [1, 2.5], [True, 2], [True, False],
    [np.arange(3, dtype=np.int32), np.zeros(3, dtype=np.int32)], [np.ones((2, 2)), np.zeros((2, 2))],
])
def test_default_collate_gives_numbers_and_arrays_torch_dtypes(batch):
    mine, theirs = data.default_collate(batch), tdata.default_collate(batch)
    assert str(mine.dtype) == str(theirs.dtype)
    assert mine.tolist() == theirs.tolist()


Point = collections.namedtuple("Point", "x y")


@pytest.mark.parametrize("samples", [
    [collections.defaultdict(list, a=1), collections.defaultdict(list, a=2)],
    [collections.OrderedDict(b=1, a=2), collections.OrderedDict(b=3, a=4)],
    [types.MappingProxyType({"a": 1}), types.MappingProxyType({"a": 2})],  # cannot be built: a dict
    [range(2), range(2)],  # a sequence that cannot be built from a list: a list
    [Point(1, 2.0), Point(3, 4.0)], [(1, "a"), (2, "b")], [[1, 2], [3, 4]],
])
def test_default_collate_keeps_container_types_as_torch(samples):
    mine, theirs = data.default_collate(samples), tdata.default_collate(samples)
    assert type(mine) is type(theirs)
    if isinstance(mine, collections.abc.Mapping):
        assert list(mine) == list(theirs)
        assert all(mine[key].tolist() == theirs[key].tolist() for key in mine)
    else:
        assert [m if isinstance(m, (list, tuple)) else m.tolist() for m in mine] == \
            [t if isinstance(t, (list, tuple)) else t.tolist() for t in theirs]
    if isinstance(mine, collections.defaultdict):
        assert mine.default_factory is list and mine["new"] == []


def test_default_collate_refuses_what_torch_refuses_with_its_message():
    for batch in ([np.array(["a"]), np.array(["b"])], [object(), object()]):
        errors = []
        for collate in (data.default_collate, tdata.default_collate):
            with pytest.raises(TypeError) as info:
                collate(batch)
            errors.append(str(info.value))
        assert errors[0] == errors[1]
    with raises(RuntimeError, "each element in list of batch should be of equal size"):
        data.default_collate([[1, 2], [3]])


def warnings_of_random_split(lib, fractions):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parts = lib.utils.data.random_split(range(10), fractions)
    return [len(p) for p in parts], [(w.category, str(w.message), w.filename) for w in caught]


def test_random_split_warns_of_empty_splits_and_refuses_bad_fractions_as_torch():
    mine, theirs = (warnings_of_random_split(lib, [0.9, 0.05, 0.05]) for lib in (minitorch, torch))
    assert mine == theirs
    assert mine[0] == [10, 0, 0] and [message for _, message, _ in mine[1]] == [
        f"Length of split at index {i} is 0. This might result in an empty dataset." for i in (1, 2)]
    assert mine[1][0][0] is UserWarning and mine[1][0][2] == __file__  # it points at the caller's line
    for lib in (minitorch, torch):
        with raises(ValueError, "Fraction at index 2 is not between 0 and 1"):
            lib.utils.data.random_split(range(10), [0.6, 0.6, -0.2])


def test_random_split_is_reproducible_with_a_generator():
    def split():
        return [list(part) for part in data.random_split(range(10), [0.5, 0.5],
                                                         generator=minitorch.Generator().manual_seed(3))]
    assert split() == split() and sorted(sum(split(), [])) == list(range(10))


@pytest.mark.parametrize("args, kwargs", [
    (([1, 2], "x"), {}), (([1, 2], 0), {}), (([1, 2], True), {}), (([1, 2], 2), dict(replacement=1)),
    (([[1, 2], [3, 4]], 2), {}), ((3.0, 2), {}),
])
def test_weighted_random_sampler_checks_its_arguments_as_torch(args, kwargs):
    errors = []
    for lib in (data, tdata):
        with pytest.raises(ValueError) as info:
            lib.WeightedRandomSampler(*args, **kwargs)
        errors.append(str(info.value))
    assert errors[0] == errors[1]


def test_weighted_random_sampler_draws_in_proportion_to_the_weights():
    minitorch.manual_seed(0)
    sampler = data.WeightedRandomSampler([1.0, 0.0, 3.0], 20_000)
    assert sampler.weights.dtype == minitorch.float64 and len(sampler) == 20_000
    draws = list(sampler)
    assert len(draws) == 20_000 and set(draws) == {0, 2}
    assert abs(draws.count(2) / len(draws) - 0.75) < 0.02
    once = list(data.WeightedRandomSampler(minitorch.tensor([5.0, 1.0, 2.0, 0.5]), 4, replacement=False))
    assert sorted(once) == [0, 1, 2, 3]


def test_weighted_random_sampler_is_reproducible_and_drives_a_loader():
    def draw(generator=None):
        return list(data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 10, generator=generator))
    minitorch.manual_seed(7)
    first = draw()
    minitorch.manual_seed(7)
    assert draw() == first
    assert draw(minitorch.Generator().manual_seed(1)) == draw(minitorch.Generator().manual_seed(1))
    loader = data.DataLoader(dataset(minitorch), batch_size=4,
                             sampler=data.WeightedRandomSampler([0.0] * 9 + [1.0], 8))
    assert [y.tolist() for _, y in loader] == [[9] * 4, [9] * 4]


def test_get_worker_info_is_none_in_the_main_process_as_torch():
    assert data.get_worker_info() is None and tdata.get_worker_info() is None

    class Recorder(data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return data.get_worker_info() is None

    assert list(data.DataLoader(Recorder(), batch_size=None, num_workers=2)) == [True, True]


def test_the_iterator_has_a_len_and_concat_sizes_are_ints_as_torch():
    for batch_size, drop_last in [(3, False), (3, True), (None, False)]:
        mine = data.DataLoader(dataset(minitorch), batch_size=batch_size, drop_last=drop_last)
        theirs = tdata.DataLoader(dataset(torch), batch_size=batch_size, drop_last=drop_last)
        batches = iter(mine)
        assert len(batches) == len(iter(theirs)) == len(mine)
        assert iter(batches) is batches and len(list(batches)) == len(mine)
    mine, theirs = data.ConcatDataset([range(3), range(4)]), tdata.ConcatDataset([range(3), range(4)])
    assert mine.cumulative_sizes == theirs.cumulative_sizes == [3, 7]
    assert all(type(size) is int for size in mine.cumulative_sizes) and mine[3] == theirs[3] == 0
