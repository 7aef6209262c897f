"""minitorch.utils.data against torch.utils.data: batches, shuffling, samplers, collation, splits."""
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
