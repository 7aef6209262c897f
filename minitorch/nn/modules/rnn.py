"""Recurrent layers: a cell's step (rnn_cell.py) applied at every time step, carrying a hidden
state from step to step.

The layers (RNN, LSTM, GRU) run a cell over a whole (T, B, H_in) sequence, stacked num_layers
deep, optionally in both directions (the reverse direction reads the sequence from its end). The
input half W_ih x_t + b_ih does not depend on the state, so it is one F.linear over all the steps
at once; only W_hh h + b_hh stays in the loop over time. Every step is composed of differentiable
ops (linear, sigmoid, tanh, chunk, stack), so backpropagation through time comes from autograd.
"""
import numbers
import warnings

from ... import _creation
from ..._functions.elementwise import where
from ..._functions.shape import cat, stack
from .. import functional as F
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, lengths_of, packed_from_padded, padded_from_packed
from .module import Module
from .rnn_cell import _GATES, _STEPS, _uniform_reset

__all__ = ["RNNBase", "RNN", "LSTM", "GRU"]


# --------------------------------------------------------------------------------------------- layers

def _each(fn, *states):
    """fn applied to each tensor of the states: a hidden state h, or LSTM's pair (h, c)."""
    if isinstance(states[0], tuple):
        return tuple(fn(*parts) for parts in zip(*states))
    return fn(*states)


def _check_layer_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size):
    """torch's checks of the constructor arguments, with its exception classes."""
    if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not 0 <= dropout <= 1:
        raise ValueError("dropout should be a number in range [0, 1] representing the probability of an element "
                         "being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects "
                      f"num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                      stacklevel=4)
    for name, value, kind in (("bias", bias, bool), ("batch_first", batch_first, bool),
                              ("input_size", input_size, int), ("hidden_size", hidden_size, int)):
        if not isinstance(value, kind):
            raise TypeError(f"{name} should be of type {kind.__name__}, got: {type(value).__name__}")
        if kind is int and value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class RNNBase(Module):
    """A stack of num_layers recurrent layers over a whole sequence, of one of the modes RNN_TANH,
    RNN_RELU, LSTM, GRU.

    Input (T, B, input_size) ((B, T, input_size) with batch_first, (T, input_size) unbatched) or a
    PackedSequence. Layer k > 0 reads layer k - 1's output, with dropout in between while training.
    With bidirectional=True each layer also runs a second cell from the last step back to the first
    and concatenates the two outputs (features: forward first). Parameters per layer k and
    direction: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} (+ "_reverse" for the
    backward direction; + weight_hr_l{k} for an LSTM with proj_size > 0)."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__()
        _check_layer_arguments(input_size, hidden_size, num_layers, bias, batch_first, dropout, proj_size)
        if mode not in _STEPS:
            raise ValueError("Unrecognized RNN mode: " + mode)
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        self._all_weights = [self._add_layer(layer, direction, device, dtype)
                             for layer in range(num_layers) for direction in range(self._directions)]
        self.reset_parameters()

    @property
    def _directions(self):
        return 2 if self.bidirectional else 1

    @property
    def _output_size(self):
        """The size of h: proj_size for a projected LSTM, else hidden_size."""
        return self.proj_size or self.hidden_size

    def _add_layer(self, layer, direction, device, dtype):
        """Register one layer's parameters for one direction, in torch's order; returns their names."""
        rows = _GATES[self.mode] * self.hidden_size
        inputs = self.input_size if layer == 0 else self._output_size * self._directions
        shapes = {"weight_ih": (rows, inputs), "weight_hh": (rows, self._output_size)}
        if self.bias:
            shapes.update(bias_ih=(rows,), bias_hh=(rows,))
        if self.proj_size:
            shapes["weight_hr"] = (self.proj_size, self.hidden_size)
        names = []
        for kind, shape in shapes.items():
            names.append(f"{kind}_l{layer}{'_reverse' if direction else ''}")
            setattr(self, names[-1], Parameter(_creation.empty(*shape, device=device, dtype=dtype)))
        return names

    def reset_parameters(self):
        _uniform_reset(self)

    @property
    def all_weights(self):
        """The parameters as a list per (layer, direction), in torch's order."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """A no-op: torch packs the weights into one buffer for cuDNN; minitorch has no cuDNN."""

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            text += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if self.batch_first is not False:
            text += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            text += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            text += f", bidirectional={self.bidirectional}"
        return text

    # --- forward: shapes in, shapes out ---

    def forward(self, input, hx=None):
        """(output, h_n), or (output, (h_n, c_n)) for an LSTM: output (T, B, D * H_out) holds the last
        layer's h at every step, h_n (num_layers * D, B, H_out) every layer's h after the last step
        (D = 2 if bidirectional else 1). A PackedSequence input gives a PackedSequence output."""
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        input, hx, batch_dim = self._batched(input, hx)
        x = input.transpose(0, 1) if self.batch_first else input
        output, hidden = self._run(x, self._initial_state(x, hx), None)
        output = output.transpose(0, 1) if self.batch_first else output
        if batch_dim is None:
            return output, hidden
        return output.squeeze(batch_dim), _each(lambda h: h.squeeze(1), hidden)

    def _forward_packed(self, input, hx):
        data, batch_sizes, sorted_indices, unsorted_indices = input
        self._check_input(data, 2)
        if hx is not None and sorted_indices is not None:  # hx follows the caller's order: sort it like the batch
            hx = _each(lambda h: h.index_select(1, sorted_indices), hx)
        x = padded_from_packed(data, batch_sizes)
        output, hidden = self._run(x, self._initial_state(x, hx), lengths_of(batch_sizes))
        if unsorted_indices is not None:
            hidden = _each(lambda h: h.index_select(1, unsorted_indices), hidden)
        return PackedSequence(packed_from_padded(output, batch_sizes), batch_sizes, sorted_indices,
                              unsorted_indices), hidden

    def _batched(self, input, hx):
        """(input, hx, batch_dim): an unbatched (T, input_size) input and its state get a batch
        dimension of 1, and batch_dim says where to remove it again (None when batched)."""
        name = "RNN" if self.mode.startswith("RNN") else self.mode
        if input.ndim not in (2, 3):
            tensor = " tensor" if name == "RNN" else ""
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {input.ndim}D{tensor} instead")
        expected = input.ndim  # a 3-D input has 3-D states, a 2-D one 2-D states
        if hx is not None:
            dims = [h.ndim for h in (hx if isinstance(hx, tuple) else (hx,))]
            if any(d != expected for d in dims):
                kind = "batched 3-D" if expected == 3 else "unbatched 2-D"
                if isinstance(hx, tuple):
                    raise RuntimeError(f"For {kind} input, hx and cx should also be {expected}-D but got "
                                       f"({dims[0]}-D, {dims[1]}-D) tensors")
                raise RuntimeError(f"For {kind} input, hx should also be {expected}-D but got {dims[0]}-D tensor")
        if expected == 3:
            return input, hx, None
        batch_dim = 0 if self.batch_first else 1
        hx = None if hx is None else _each(lambda h: h.unsqueeze(1), hx)
        return input.unsqueeze(batch_dim), hx, batch_dim

    def _check_input(self, input, ndim):
        weight = self.weight_ih_l0
        if input.dtype != weight.dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight.dtype}). Convert "
                             f"input: input.to({weight.dtype}), or convert model: model.to({input.dtype})")
        if input.ndim != ndim:
            raise RuntimeError(f"input must have {ndim} dimensions, got {input.ndim}")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")

    def _initial_state(self, x, hx):
        """hx checked against the expected (num_layers * D, B, H) shapes, or zeros of them."""
        self._check_input(x, 3)
        batch, layers = x.shape[1], self.num_layers * self._directions
        sizes = [(layers, batch, self._output_size)] + ([(layers, batch, self.hidden_size)] * (self.mode == "LSTM"))
        if hx is None:
            zeros = [_creation.zeros(*size, dtype=x.dtype, device=x.device) for size in sizes]
            return tuple(zeros) if self.mode == "LSTM" else zeros[0]
        states = hx if self.mode == "LSTM" else (hx,)
        for k, (state, size) in enumerate(zip(states, sizes)):
            if tuple(state.shape) != size:
                label = f"hidden[{k}]" if self.mode == "LSTM" else "hidden"
                raise RuntimeError(f"Expected {label} size {size}, got {list(state.shape)}")
        return hx

    # --- the recurrence ---

    def _run(self, x, hx, lengths):
        """All the layers over time-major x (T, B, H_in) from the states hx; lengths (sorted,
        decreasing) when the batch was packed. Returns the last layer's output and the final states."""
        finals = []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(self._directions):
                k = layer * self._directions + direction
                output, state = self._run_direction(x, _each(lambda h: h[k], hx), k, lengths)
                outputs.append(output)
                finals.append(state)
            x = cat(outputs, -1) if self.bidirectional else outputs[0]
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout)
        return x, _each(lambda *states: stack(states), *finals)

    def _run_direction(self, x, state, k, lengths):
        """One layer in one direction (k = layer * D + direction): the cell at every step, from the
        first (or, for the reverse direction, the last) step on. In a packed batch a sequence that
        has no step t keeps its state there, so each one starts and ends at its own length."""
        w_ih, w_hh, *rest = self.all_weights[k]
        b_ih, b_hh = rest[:2] if self.bias else (None, None)
        extra = rest[-1:] if self.proj_size else []
        gi = F.linear(x, w_ih, b_ih)  # the input half of every gate, for all the steps at once
        steps = range(x.shape[0])
        outputs = [None] * x.shape[0]
        for t in (reversed(steps) if k % self._directions else steps):
            new = _STEPS[self.mode](gi[t], state, w_hh, b_hh, *extra)
            if lengths is not None:
                running = _creation.tensor(lengths > t, device=x.device).unsqueeze(1)
                new = _each(lambda n, old: where(running, n, old), new, state)
            state = new
            outputs[t] = state[0] if isinstance(state, tuple) else state
        return stack(outputs), state


class RNN(RNNBase):
    """An Elman RNN over a sequence, layer by layer: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)
    (relu with nonlinearity="relu"); returns (output, h_n). See RNNBase for shapes and options."""

    def __init__(self, input_size, hidden_size, num_layers=1, nonlinearity="tanh", bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, device=None, dtype=None, *, proj_size=None):
        if proj_size is not None:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device=device, dtype=dtype)


class LSTM(RNNBase):
    """An LSTM over a sequence, layer by layer (gates i, f, g, o: see LSTMCell); returns
    (output, (h_n, c_n)). With proj_size > 0, h = W_hr (o * tanh(c)) has proj_size features (c keeps
    hidden_size). See RNNBase for shapes and options."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, proj_size=0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         proj_size, device=device, dtype=dtype)


class GRU(RNNBase):
    """A GRU over a sequence, layer by layer (gates r, z, n: see GRUCell); returns (output, h_n).
    See RNNBase for shapes and options."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0,
                 bidirectional=False, device=None, dtype=None, *, proj_size=None):
        if proj_size is not None:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
                         device=device, dtype=dtype)
