"""Datasets and the DataLoader that cuts them into shuffled mini-batches, as torch.utils.data.

    dataset = TensorDataset(features, labels)          # dataset[i] == (features[i], labels[i])
    loader = DataLoader(dataset, batch_size=32, shuffle=True)
    for x, y in loader:                                # x: (32, ...), y: (32,)
        ...

A DataLoader is three small pieces, one file each here, as in torch: a *sampler* (sampler.py)
says in which order to visit the indices (SequentialSampler, or RandomSampler for
``shuffle=True``, a fresh permutation every epoch drawn from minitorch's generator, so
``manual_seed`` makes it reproducible); a *batch sampler* groups them into lists of
``batch_size``; ``collate_fn`` (collate.py) turns a list of samples into one batch. The datasets
themselves are in dataset.py and the loader in dataloader.py. Loading happens in the main process
(``num_workers`` and the other worker options are checked as torch checks them, then ignored:
the batches are the same, only loaded one after another).
"""
from .collate import default_collate, default_convert
from .dataloader import DataLoader, get_worker_info
from .dataset import (ChainDataset, ConcatDataset, Dataset, IterableDataset, StackDataset, Subset, TensorDataset,
                      random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
                      WeightedRandomSampler)

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "StackDataset", "Subset", "ConcatDataset", "ChainDataset",
           "random_split", "Sampler",
           "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
           "DataLoader", "default_collate", "default_convert", "get_worker_info"]
