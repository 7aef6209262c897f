"""Batches of sequences of different lengths, for the recurrent layers (torch.nn.utils.rnn).

Padding: stack the sequences into one (T, B, *) tensor, filling the short ones up with a value:

    pad_sequence([a, b, c])                        # a: (5, H), b: (3, H), c: (2, H) -> (5, 3, H)

Packing: keep only the real steps, time-major. With lengths sorted in decreasing order (5, 3, 2),
step t holds the first batch_sizes[t] sequences, so the data is the rows

    a0 b0 c0 | a1 b1 c1 | a2 b2 | a3 | a4          batch_sizes = [3, 3, 2, 1, 1]

A PackedSequence is that data plus batch_sizes, and the permutation that sorted the batch
(sorted_indices) with its inverse (unsorted_indices). An RNN given one runs each sequence for its
own number of steps: its final hidden state is taken at the sequence's last real step.

Every conversion is a gather (indexing with an integer tensor), so gradients flow through it.
"""
from collections import namedtuple

import numpy as np

from ... import _creation
from ..._functions.shape import cat, stack
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pad_sequence", "unpad_sequence", "pack_padded_sequence",
           "pad_packed_sequence", "pack_sequence", "unpack_sequence"]


class PackedSequence(namedtuple("PackedSequence", ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """(data, batch_sizes, sorted_indices, unsorted_indices), as made by pack_padded_sequence; the
    inverse permutation is computed when only sorted_indices is given."""

    def __new__(cls, data, batch_sizes, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None and sorted_indices is not None:
            unsorted_indices = invert_permutation(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs):
        """The same sequence with its data converted by Tensor.to (batch_sizes stays on the CPU)."""
        data = self.data.to(*args, **kwargs)
        indices = [None if i is None else i.to(data.device) for i in (self.sorted_indices, self.unsorted_indices)]
        return type(self)(data, self.batch_sizes, *indices)


def invert_permutation(permutation):
    """The permutation q with q[permutation[i]] = i (None stays None)."""
    if permutation is None:
        return None
    return _creation.tensor(np.argsort(permutation.cpu().numpy()), device=permutation.device)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Sequences of shapes (L_i, *) as one (max L_i, B, *) tensor ((B, max L_i, *) with batch_first),
    the missing steps filled with padding_value after ("right") or before ("left") each sequence."""
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    sequences = list(sequences)
    longest = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        filler = _creation.full((longest - s.shape[0], *s.shape[1:]), padding_value, dtype=s.dtype, device=s.device)
        padded.append(cat([s, filler] if padding_side == "right" else [filler, s]))
    return stack(padded, 1 if not batch_first else 0)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The inverse of pad_sequence (right padding): the list of the B sequences, each cut to its length."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    return [seq[:int(length)] for seq, length in zip(padded_sequences, lengths)]


def _packed_rows(batch_sizes):
    """Where each packed row sits in a (T, B) time-major grid, flattened: t * B + b for b < batch_sizes[t]."""
    sizes = np.asarray(batch_sizes.cpu().numpy() if isinstance(batch_sizes, Tensor) else batch_sizes)
    return np.concatenate([t * int(sizes[0]) + np.arange(n) for t, n in enumerate(sizes)])


def lengths_of(batch_sizes):
    """The length of each (sorted) sequence: how many steps have it in their batch."""
    sizes = batch_sizes.cpu().numpy()
    return (sizes[None, :] > np.arange(sizes[0])[:, None]).sum(1)


def packed_from_padded(padded, batch_sizes):
    """The packed rows of a time-major (T, B, *) tensor whose batch is sorted by decreasing length."""
    rows = _creation.tensor(_packed_rows(batch_sizes), device=padded.device)
    return padded.reshape(padded.shape[0] * padded.shape[1], *padded.shape[2:])[rows]


def padded_from_packed(data, batch_sizes, padding_value=0.0, total_length=None):
    """The (T, B, *) time-major tensor of packed ``data``: the packed rows gathered into place, every
    missing step gathered from one extra row of padding_value."""
    steps, batch = total_length or len(batch_sizes), int(batch_sizes[0])
    where = np.full(steps * batch, data.shape[0])
    where[_packed_rows(batch_sizes)] = np.arange(data.shape[0])
    filler = _creation.full((1, *data.shape[1:]), padding_value, dtype=data.dtype, device=data.device)
    rows = cat([data, filler])[_creation.tensor(where, device=data.device)]
    return rows.reshape(steps, batch, *data.shape[1:])


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded (T, B, *) batch ((B, T, *) with batch_first) of sequences of ``lengths``. With
    enforce_sorted=False the batch is sorted by decreasing length first (and unsorted when unpacked)."""
    lengths = np.asarray(lengths.cpu().numpy() if isinstance(lengths, Tensor) else lengths, dtype=np.int64)
    if batch_first:
        input = input.transpose(0, 1)
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        lengths, sorted_indices = lengths[order], _creation.tensor(order, device=input.device)
        input = input.index_select(1, sorted_indices)
    elif np.any(np.diff(lengths) > 0):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You "
                           "can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep "
                           "this requirement if you do not need ONNX exportability.")
    if lengths.min() <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an element in 'lengths' "
                           "that is <= 0")
    if lengths.max() > input.shape[0]:
        raise RuntimeError(f"the longest length {lengths.max()} is more than the {input.shape[0]} steps of the "
                           "padded input")
    batch_sizes = _creation.tensor((lengths[None, :] > np.arange(lengths.max())[:, None]).sum(1))
    return PackedSequence(packed_from_padded(input[:lengths.max()], batch_sizes), batch_sizes, sorted_indices)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The inverse of pack_padded_sequence: (padded, lengths), in the batch's original order;
    total_length pads to that many steps (at least the longest sequence's)."""
    steps = len(sequence.batch_sizes)
    if total_length is not None and total_length < steps:
        raise ValueError(f"Expected total_length to be at least the length of the longest sequence in input, but "
                         f"got total_length={total_length} and max sequence length being {steps}")
    padded = padded_from_packed(sequence.data, sequence.batch_sizes, padding_value, total_length)
    lengths = _creation.tensor(lengths_of(sequence.batch_sizes))
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(1, sequence.unsorted_indices)
        lengths = lengths[sequence.unsorted_indices.cpu()]
    return (padded.transpose(0, 1) if batch_first else padded), lengths


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of (L_i, *) sequences (pad_sequence, then pack_padded_sequence)."""
    lengths = [s.shape[0] for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The inverse of pack_sequence: the list of sequences, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
