"""Recurrent cells: one step of a recurrent layer, mapping (x_t, state) to the next state.

A cell's weights are split by the source of the signal: W_ih (gates x input_size) multiplies the
input, W_hh (gates x hidden_size) the previous hidden state, and each has its own bias (b_ih, b_hh;
torch keeps both, for cuDNN). The gates are stacked along the rows, in torch's order: LSTM
(i, f, g, o), GRU (r, z, n). The layers that run a cell over a whole sequence are in rnn.py.
"""
import math

from ... import _creation
from .. import functional as F, init
from ..parameter import Parameter
from .module import Module

__all__ = ["RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


def _rnn_tanh_step(gi, h, w_hh, b_hh):
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), given gi = W_ih x + b_ih."""
    return (gi + F.linear(h, w_hh, b_hh)).tanh()


def _rnn_relu_step(gi, h, w_hh, b_hh):
    """h' = relu(W_ih x + b_ih + W_hh h + b_hh), given gi = W_ih x + b_ih."""
    return F.relu(gi + F.linear(h, w_hh, b_hh))


def _lstm_step(gi, state, w_hh, b_hh, w_hr=None):
    """With (i, f, g, o) the four row blocks of W_ih x + b_ih + W_hh h + b_hh (given gi = W_ih x + b_ih):

        i = sigmoid(i)      input gate: how much of the candidate to write
        f = sigmoid(f)      forget gate: how much of the old cell to keep
        g = tanh(g)         candidate cell content
        o = sigmoid(o)      output gate: how much of the cell to show
        c' = f * c + i * g
        h' = o * tanh(c')   (then h' = W_hr h' when the LSTM has a projection, proj_size > 0)
    """
    h, c = state
    i, f, g, o = (gi + F.linear(h, w_hh, b_hh)).chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()
    h = o.sigmoid() * c.tanh()
    return (h if w_hr is None else F.linear(h, w_hr)), c


def _gru_step(gi, h, w_hh, b_hh):
    """With gi = W_ih x + b_ih and gh = W_hh h + b_hh, each split in row blocks (r, z, n):

        r = sigmoid(gi_r + gh_r)            reset gate: how much of h the candidate sees
        z = sigmoid(gi_z + gh_z)            update gate: how much of h to keep
        n = tanh(gi_n + r * gh_n)           candidate, n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
        h' = (1 - z) * n + z * h
    """
    i_r, i_z, i_n = gi.chunk(3, -1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, -1)
    r, z = (i_r + h_r).sigmoid(), (i_z + h_z).sigmoid()
    n = (i_n + r * h_n).tanh()
    return (1 - z) * n + z * h


_STEPS = {"RNN_TANH": _rnn_tanh_step, "RNN_RELU": _rnn_relu_step, "LSTM": _lstm_step, "GRU": _gru_step}
_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _uniform_reset(module):
    """As torch: every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    bound = 1.0 / math.sqrt(module.hidden_size) if module.hidden_size > 0 else 0
    for weight in module.parameters():
        init.uniform_(weight, -bound, bound)


# ---------------------------------------------------------------------------------------------- cells

class RNNCellBase(Module):
    """The parameters every cell has: weight_ih (gates * hidden_size, input_size), weight_hh
    (gates * hidden_size, hidden_size), bias_ih and bias_hh (gates * hidden_size,)."""

    _mode = None

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        rows = num_chunks * hidden_size
        self.weight_ih = Parameter(_creation.empty(rows, input_size, device=device, dtype=dtype))
        self.weight_hh = Parameter(_creation.empty(rows, hidden_size, device=device, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_creation.empty(rows, device=device, dtype=dtype))
            self.bias_hh = Parameter(_creation.empty(rows, device=device, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def reset_parameters(self):
        _uniform_reset(self)

    def extra_repr(self):
        text = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            text += f", bias={self.bias}"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text

    def _batched(self, input, states):
        """(input, states, is_batched): 1-D input and states get a batch dimension of 1; a missing
        state is zeros. Checks the dims as torch does."""
        name = type(self).__name__
        if input.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        for label, state in states.items():
            if state is not None and state.ndim not in (1, 2):
                raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got {state.ndim}D instead")
        is_batched = input.ndim == 2
        if not is_batched:
            input = input.unsqueeze(0)
        zeros = _creation.zeros(input.shape[0], self.hidden_size, dtype=input.dtype, device=input.device)
        states = [zeros if s is None else s if is_batched else s.unsqueeze(0) for s in states.values()]
        self._check_sizes(input, states)
        return input, states, is_batched

    def _check_sizes(self, input, states):
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} expected {self.input_size}")
        for k, state in enumerate(states):
            if state.shape[0] != input.shape[0]:
                raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{k} batch size "
                                   f"{state.shape[0]}")
            if state.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {state.shape[1]}, expected "
                                   f"{self.hidden_size}")

    def _step(self, input, state):
        return _STEPS[self._mode](F.linear(input, self.weight_ih, self.bias_ih), state, self.weight_hh, self.bias_hh)


class RNNCell(RNNCellBase):
    """An Elman cell: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (relu instead of tanh with
    nonlinearity="relu"). Input (N, input_size) or (input_size,), hidden (N, hidden_size) or
    (hidden_size,), zeros when not given; returns h'."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    @property
    def _mode(self):
        if self.nonlinearity not in ("tanh", "relu"):
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return "RNN_" + self.nonlinearity.upper()

    def forward(self, input, hx=None):
        input, (hx,), is_batched = self._batched(input, {"hidden": hx})
        h = self._step(input, hx)
        return h if is_batched else h.squeeze(0)


class LSTMCell(RNNCellBase):
    """A long short-term memory cell. With (i, f, g, o) the four row blocks of
    W_ih x + b_ih + W_hh h + b_hh:

        i = sigmoid(i), f = sigmoid(f), g = tanh(g), o = sigmoid(o)
        c' = f * c + i * g
        h' = o * tanh(c')

    Input (N, input_size) or (input_size,), hx = (h, c) of shape (N, hidden_size) or (hidden_size,),
    zeros when not given; returns (h', c')."""

    _mode = "LSTM"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        h, c = (None, None) if hx is None else hx
        input, (h, c), is_batched = self._batched(input, {"hx[0]": h, "hx[1]": c})
        h, c = self._step(input, (h, c))
        return (h, c) if is_batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(RNNCellBase):
    """A gated recurrent unit. With gi = W_ih x + b_ih and gh = W_hh h + b_hh in row blocks (r, z, n):

        r = sigmoid(gi_r + gh_r)
        z = sigmoid(gi_z + gh_z)
        n = tanh(gi_n + r * gh_n)
        h' = (1 - z) * n + z * h

    Input (N, input_size) or (input_size,), hidden (N, hidden_size) or (hidden_size,), zeros when
    not given; returns h'."""

    _mode = "GRU"

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input, hx=None):
        input, (hx,), is_batched = self._batched(input, {"hidden": hx})
        h = self._step(input, hx)
        return h if is_batched else h.squeeze(0)
