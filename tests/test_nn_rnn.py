"""The recurrent layers and cells against torch: torch's weights copied in, outputs, final states and
every gradient (input, initial state, parameters) in float32 and float64; then gradcheck, init,
state_dict keys, repr, torch's errors, packed sequences and a short training run."""
import math

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays

pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")  # torch's note

TOLERANCE = {"float32": 1e-5, "float64": 1e-10}

LAYERS = {  # name: (make(nn), input shape, with initial state)
    "rnn_tanh": (lambda nn: nn.RNN(3, 4), (5, 2, 3), False),
    "rnn_relu_2_layers_hx": (lambda nn: nn.RNN(3, 4, 2, "relu"), (5, 2, 3), True),
    "rnn_bidirectional_batch_first": (lambda nn: nn.RNN(3, 4, bidirectional=True, batch_first=True), (2, 5, 3),
                                      False),
    "rnn_unbatched_no_bias_hx": (lambda nn: nn.RNN(3, 4, 2, bias=False), (5, 3), True),
    "lstm": (lambda nn: nn.LSTM(3, 4), (5, 2, 3), False),
    "lstm_2_layers_bidirectional_hx": (lambda nn: nn.LSTM(3, 4, 2, bidirectional=True), (5, 2, 3), True),
    "lstm_batch_first_no_bias": (lambda nn: nn.LSTM(3, 4, 2, bias=False, batch_first=True), (2, 5, 3), False),
    "lstm_unbatched_hx": (lambda nn: nn.LSTM(3, 4, bidirectional=True), (5, 3), True),
    "lstm_unbatched_batch_first": (lambda nn: nn.LSTM(3, 4, batch_first=True), (5, 3), False),
    "lstm_dropout_eval": (lambda nn: nn.LSTM(3, 4, 2, dropout=0.5).eval(), (5, 2, 3), False),
    "lstm_dropout_1_training": (lambda nn: nn.LSTM(3, 4, 2, dropout=1.0), (5, 2, 3), False),
    "lstm_proj": (lambda nn: nn.LSTM(3, 5, proj_size=2), (5, 2, 3), True),
    "lstm_proj_2_layers_bidirectional": (lambda nn: nn.LSTM(3, 5, 2, bidirectional=True, proj_size=3), (4, 2, 3),
                                         True),
    "gru": (lambda nn: nn.GRU(3, 4), (5, 2, 3), False),
    "gru_2_layers_bidirectional_hx": (lambda nn: nn.GRU(3, 4, 2, bidirectional=True), (5, 2, 3), True),
    "gru_batch_first_no_bias_dropout_eval": (lambda nn: nn.GRU(3, 4, 2, False, True, 0.3).eval(), (2, 5, 3), True),
    "gru_unbatched": (lambda nn: nn.GRU(3, 4, 2), (5, 3), True),
    "rnn_cell": (lambda nn: nn.RNNCell(3, 4), (2, 3), True),
    "rnn_cell_relu_no_bias": (lambda nn: nn.RNNCell(3, 4, False, "relu"), (2, 3), False),
    "rnn_cell_unbatched": (lambda nn: nn.RNNCell(3, 4), (3,), True),
    "lstm_cell": (lambda nn: nn.LSTMCell(3, 4), (2, 3), True),
    "lstm_cell_no_bias_no_hx": (lambda nn: nn.LSTMCell(3, 4, bias=False), (2, 3), False),
    "lstm_cell_unbatched": (lambda nn: nn.LSTMCell(3, 4), (3,), True),
    "gru_cell": (lambda nn: nn.GRUCell(3, 4), (2, 3), True),
    "gru_cell_no_bias_unbatched": (lambda nn: nn.GRUCell(3, 4, bias=False), (3,), False),
}


def twin(make, dtype="float64"):
    """The same layer in torch and minitorch: the state_dict keys must agree, torch's values are copied in."""
    theirs, mine = make(torch.nn).to(getattr(torch, dtype)), make(minitorch.nn).to(getattr(minitorch, dtype))
    assert list(mine.state_dict()) == list(theirs.state_dict())
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return mine, theirs


def flat(out):
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in flat(o)]
    return [out]


def state_shapes(layer, input_shape):
    """The shapes of the initial state(s) that ``layer`` (a torch module) expects for this input."""
    if isinstance(layer, torch.nn.RNNCellBase):
        shape = input_shape[:-1] + (layer.hidden_size,)
        return [shape, shape] if isinstance(layer, torch.nn.LSTMCell) else [shape]
    batch = () if len(input_shape) == 2 else (input_shape[0 if layer.batch_first else 1],)
    layers = layer.num_layers * (2 if layer.bidirectional else 1)
    h = (layers, *batch, layer.proj_size or layer.hidden_size)
    return [h, (layers, *batch, layer.hidden_size)] if isinstance(layer, torch.nn.LSTM) else [h]


def run(lib, layer, x, states):
    """Forward, then backward with fixed upstream gradients; returns outputs and all the gradients."""
    x = lib.tensor(x, requires_grad=True)
    states = [lib.tensor(s, requires_grad=True) for s in states]
    hx = None if not states else states[0] if len(states) == 1 else tuple(states)
    outputs = flat(layer(x, hx))
    rng = np.random.default_rng(7)
    loss = sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)).astype(str(o.dtype)[6:]))).sum() for o in outputs)
    loss.backward()
    grads = [x.grad] + [s.grad for s in states] + [p.grad for p in layer.parameters()]
    return [t.detach().numpy() for t in outputs + grads]


def compare(mine, theirs, tol, what):
    assert len(mine) == len(theirs)
    for i, (a, b) in enumerate(zip(mine, theirs)):
        assert a.shape == b.shape and a.dtype == b.dtype, f"{what} {i}: {a.shape} {a.dtype} vs {b.shape} {b.dtype}"
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, err_msg=f"{what} {i}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", LAYERS)
def test_matches_torch(name, dtype):
    make, shape, with_state = LAYERS[name]
    mine, theirs = twin(make, dtype)
    x = arrays(shape, dtype)
    states = [arrays(s, dtype, seed=i + 1) for i, s in enumerate(state_shapes(theirs, shape))] if with_state else []
    compare(run(minitorch, mine, x, states), run(torch, theirs, x, states), TOLERANCE[dtype], name)


@pytest.mark.parametrize("name", ["rnn_cell", "lstm_cell", "gru_cell", "gru_unbatched", "rnn_bidirectional_batch_first",
                                  "lstm_proj"])
def test_gradcheck(name):
    make, shape, _ = LAYERS[name]
    layer = make(minitorch.nn).double()
    theirs = make(torch.nn)
    inputs = [minitorch.tensor(arrays(s, np.float64, seed=i), requires_grad=True)
              for i, s in enumerate([shape] + state_shapes(theirs, shape))]
    params = list(layer.parameters())

    def fn(x, *rest):
        states = rest[:len(inputs) - 1]
        return layer(x, states[0] if len(states) == 1 else tuple(states))
    assert minitorch.autograd.gradcheck(fn, tuple(inputs + params))


@pytest.mark.parametrize("name", LAYERS)
def test_init_is_uniform_in_one_over_sqrt_hidden(name):
    layer = LAYERS[name][0](minitorch.nn)
    bound = 1 / math.sqrt(layer.hidden_size)
    values = np.concatenate([p.detach().numpy().ravel() for p in layer.parameters()])
    assert np.all(np.abs(values) <= bound) and np.abs(values).max() > 0.8 * bound


def test_init_fills_the_range_uniformly():
    values = minitorch.nn.LSTM(50, 100).weight_ih_l0.detach().numpy().ravel()
    assert abs(values.min() + 0.1) < 1e-3 and abs(values.max() - 0.1) < 1e-3
    assert abs(values.mean()) < 2e-3 and abs(values.std() - 0.2 / math.sqrt(12)) < 2e-3


@pytest.mark.parametrize("make", [
    lambda nn: nn.LSTM(10, 20, num_layers=2, batch_first=True),
    lambda nn: nn.LSTM(10, 20, 2, False, True, 0.5, True, 5),
    lambda nn: nn.RNN(3, 4, 2, "relu", bidirectional=True),
    lambda nn: nn.GRU(3, 4, dropout=0.0),
    lambda nn: nn.RNNCell(3, 4, bias=False, nonlinearity="relu"),
    lambda nn: nn.LSTMCell(3, 4),
    lambda nn: nn.GRUCell(3, 4, bias=False),
])
def test_repr_and_keys_match_torch(make):
    theirs, mine = make(torch.nn), make(minitorch.nn)
    assert repr(mine) == repr(theirs)
    assert [(k, tuple(v.shape)) for k, v in mine.state_dict().items()] == \
           [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]


def test_all_weights_and_flatten_parameters():
    mine, theirs = twin(lambda nn: nn.LSTM(3, 4, 2, bidirectional=True, proj_size=2))
    mine.flatten_parameters()
    assert [[tuple(w.shape) for w in ws] for ws in mine.all_weights] == \
           [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]
    assert mine.all_weights[3][0] is mine.weight_ih_l1_reverse


def _lstm(nn):
    return nn.LSTM(4, 3)


def _gru(nn):
    return nn.GRU(4, 3, 2)


BAD_CALLS = {  # name: (make(nn), call(lib, layer))
    "lstm_wrong_input_size": (_lstm, lambda t, m: m(t.zeros(5, 2, 3))),
    "lstm_wrong_h_shape": (_lstm, lambda t, m: m(t.zeros(5, 2, 4), (t.zeros(1, 3, 3), t.zeros(1, 2, 3)))),
    "lstm_wrong_c_shape": (_lstm, lambda t, m: m(t.zeros(5, 2, 4), (t.zeros(1, 2, 3), t.zeros(2, 2, 3)))),
    "lstm_4d_input": (_lstm, lambda t, m: m(t.zeros(5, 2, 4, 1))),
    "lstm_2d_states_for_3d_input": (_lstm, lambda t, m: m(t.zeros(5, 2, 4), (t.zeros(2, 3), t.zeros(2, 3)))),
    "lstm_3d_states_for_2d_input": (_lstm, lambda t, m: m(t.zeros(5, 4), (t.zeros(1, 1, 3), t.zeros(1, 1, 3)))),
    "lstm_wrong_dtype": (_lstm, lambda t, m: m(t.zeros(5, 2, 4, dtype=t.float64))),
    "gru_wrong_hidden": (_gru, lambda t, m: m(t.zeros(5, 2, 4), t.zeros(1, 2, 3))),
    "gru_2d_hidden_for_3d_input": (_gru, lambda t, m: m(t.zeros(5, 2, 4), t.zeros(2, 3))),
    "gru_3d_hidden_for_2d_input": (_gru, lambda t, m: m(t.zeros(5, 4), t.zeros(2, 1, 3))),
    "gru_1d_input": (_gru, lambda t, m: m(t.zeros(4))),
    "rnn_4d_input": (lambda nn: nn.RNN(4, 3), lambda t, m: m(t.zeros(1, 5, 2, 4))),
    "rnn_unknown_nonlinearity": (lambda nn: nn.RNN(4, 3, nonlinearity="sigmoid"), None),
    "gru_proj_size": (lambda nn: nn.GRU(4, 3, proj_size=2), None),
    "lstm_proj_too_big": (lambda nn: nn.LSTM(4, 3, proj_size=3), None),
    "lstm_bad_dropout": (lambda nn: nn.LSTM(4, 3, 2, dropout=1.5), None),
    "lstm_float_hidden_size": (lambda nn: nn.LSTM(4, 3.0), None),
    "lstm_zero_layers": (lambda nn: nn.LSTM(4, 3, 0), None),
    "cell_wrong_input_size": (lambda nn: nn.RNNCell(4, 3), lambda t, m: m(t.zeros(2, 5))),
    "cell_wrong_hidden_size": (lambda nn: nn.GRUCell(4, 3), lambda t, m: m(t.zeros(2, 4), t.zeros(2, 5))),
    "cell_wrong_batch": (lambda nn: nn.RNNCell(4, 3), lambda t, m: m(t.zeros(2, 4), t.zeros(3, 3))),
    "lstm_cell_wrong_c": (lambda nn: nn.LSTMCell(4, 3), lambda t, m: m(t.zeros(2, 4), (t.zeros(2, 3), t.zeros(2, 5)))),
    "lstm_cell_3d_h": (lambda nn: nn.LSTMCell(4, 3), lambda t, m: m(t.zeros(4), (t.zeros(1, 1, 3), t.zeros(3)))),
    "cell_3d_input": (lambda nn: nn.GRUCell(4, 3), lambda t, m: m(t.zeros(2, 4, 1))),
    "cell_unknown_nonlinearity": (lambda nn: nn.RNNCell(4, 3, nonlinearity="sigmoid"), lambda t, m: m(t.zeros(4))),
}


@pytest.mark.parametrize("name", BAD_CALLS)
def test_bad_input_raises_like_torch(name):
    make, call = BAD_CALLS[name]

    def outcome(lib):
        with pytest.raises(Exception) as info:
            layer = make(lib.nn)
            call(lib, layer)
        return type(info.value), str(info.value)
    assert outcome(minitorch) == outcome(torch)


def test_dropout_with_one_layer_warns_like_torch():
    with pytest.warns(UserWarning, match="num_layers greater than 1, but got dropout=0.5 and num_layers=1"):
        minitorch.nn.GRU(3, 4, dropout=0.5)


def test_dropout_between_layers_only_in_training():
    minitorch.manual_seed(0)
    layer = minitorch.nn.GRU(3, 4, 2, dropout=0.5)
    x = minitorch.tensor(arrays((6, 2, 3), np.float32))
    train_a, train_b = layer(x)[0], layer(x)[0]
    layer.eval()
    eval_a, eval_b = layer(x)[0], layer(x)[0]
    assert not np.allclose(train_a.detach().numpy(), train_b.detach().numpy())
    np.testing.assert_array_equal(eval_a.detach().numpy(), eval_b.detach().numpy())


# ------------------------------------------------------------------------------------- nn.utils.rnn

@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("padding_side", ["right", "left"])
def test_pad_sequence_matches_torch(batch_first, padding_side):
    seqs = [arrays((n, 2), np.float64, seed=n) for n in (3, 5, 1)]

    def pad(lib):
        xs = [lib.tensor(s, requires_grad=True) for s in seqs]
        padded = lib.nn.utils.rnn.pad_sequence(xs, batch_first, -1.5, padding_side)
        (padded * lib.arange(padded.numel(), dtype=padded.dtype).reshape(padded.shape)).sum().backward()
        return [padded.detach().numpy()] + [x.grad.numpy() for x in xs]
    compare(pad(minitorch), pad(torch), 0, "pad_sequence")


PACKED = {
    "lstm_2_layers_bidirectional": lambda nn: nn.LSTM(3, 4, 2, bidirectional=True),
    "gru_batch_first": lambda nn: nn.GRU(3, 4, batch_first=True),
    "rnn_relu_bidirectional": lambda nn: nn.RNN(3, 4, nonlinearity="relu", bidirectional=True),
    "lstm_proj": lambda nn: nn.LSTM(3, 5, proj_size=2),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
@pytest.mark.parametrize("name", PACKED)
def test_packed_sequences_match_torch(name, enforce_sorted, dtype):
    """Variable lengths: each sequence's final state is taken at its own length; the initial state
    is given in the batch's original order."""
    mine, theirs = twin(PACKED[name], dtype)
    lengths = [5, 3, 2] if enforce_sorted else [2, 5, 3]
    seqs = [arrays((n, 3), dtype, seed=n) for n in lengths]
    states = [arrays(s, dtype, seed=9 + i) for i, s in enumerate(state_shapes(theirs, (3, 3, 3)))]

    def go(lib, layer):
        xs = [lib.tensor(s, requires_grad=True) for s in seqs]
        hs = [lib.tensor(s, requires_grad=True) for s in states]
        packed = lib.nn.utils.rnn.pack_sequence(xs, enforce_sorted=enforce_sorted)
        out, hidden = layer(packed, hs[0] if len(hs) == 1 else tuple(hs))
        padded, out_lengths = lib.nn.utils.rnn.pad_packed_sequence(out, layer.batch_first, 0.5, total_length=6)
        outputs = [out.data, out.batch_sizes, padded, out_lengths] + flat(hidden)
        rng = np.random.default_rng(3)
        sum((o * lib.tensor(rng.standard_normal(tuple(o.shape)).astype(dtype))).sum()
            for o in outputs if o.dtype.is_floating_point).backward()
        grads = [x.grad for x in xs] + [h.grad for h in hs] + [p.grad for p in layer.parameters()]
        return [t.detach().numpy() for t in outputs + grads]
    compare(go(minitorch, mine), go(torch, theirs), TOLERANCE[dtype], name)


@pytest.mark.parametrize("batch_first", [False, True])
def test_pack_padded_and_back_match_torch(batch_first):
    padded = arrays((3, 4, 2) if batch_first else (4, 3, 2), np.float64)
    lengths = [2, 4, 1]

    def go(lib):
        x = lib.tensor(padded, requires_grad=True)
        packed = lib.nn.utils.rnn.pack_padded_sequence(x, lib.tensor(lengths), batch_first, enforce_sorted=False)
        (packed.data ** 2).sum().backward()
        back, out_lengths = lib.nn.utils.rnn.pad_packed_sequence(packed, batch_first)
        tensors = [packed.data, packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices, back,
                   out_lengths, x.grad]
        arrays_out = [t.detach().numpy().copy() for t in tensors]  # (torch's unpad_sequence transposes in place)
        pieces = lib.nn.utils.rnn.unpack_sequence(packed) + lib.nn.utils.rnn.unpad_sequence(back, out_lengths,
                                                                                            batch_first)
        return arrays_out + [t.detach().numpy() for t in pieces]
    compare(go(minitorch), go(torch), 0, "pack_padded_sequence")


def test_packed_sequence_to_and_invert_permutation():
    packed = minitorch.nn.utils.rnn.pack_sequence([minitorch.ones(1, 2), minitorch.ones(3, 2)], enforce_sorted=False)
    double = packed.to(minitorch.float64)
    assert double.data.dtype == minitorch.float64 and double.batch_sizes.tolist() == [2, 1, 1]
    assert double.unsorted_indices.tolist() == [1, 0]
    perm = minitorch.tensor([2, 0, 3, 1])
    assert minitorch.nn.utils.rnn.invert_permutation(perm).tolist() == \
        torch.nn.utils.rnn.invert_permutation(torch.tensor([2, 0, 3, 1])).tolist()


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [2, 4, 1]),
    lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [2, 0, 1], enforce_sorted=False),
    lambda lib, x: lib.nn.utils.rnn.pad_packed_sequence(lib.nn.utils.rnn.pack_padded_sequence(x, [4, 2, 1]),
                                                        total_length=3),
    lambda lib, x: lib.nn.utils.rnn.pad_sequence([x], padding_side="middle"),
])
def test_packing_errors_match_torch(call):
    def outcome(lib):
        with pytest.raises(Exception) as info:
            call(lib, lib.zeros(4, 3, 2))
        return type(info.value), str(info.value)
    assert outcome(minitorch) == outcome(torch)


# -------------------------------------------------------------------------------------------- training

class Regressor:
    """An LSTM reading a sequence and a linear head on its last hidden state, in either library."""

    def __init__(self, lib, state):
        self.lstm, self.head = lib.nn.LSTM(2, 8, batch_first=True), lib.nn.Linear(8, 1)
        self.lib = lib
        for name, module in (("lstm", self.lstm), ("head", self.head)):
            module.load_state_dict({k: lib.tensor(v) for k, v in state[name].items()})

    def parameters(self):
        return list(self.lstm.parameters()) + list(self.head.parameters())

    def __call__(self, x):
        _, (h, _) = self.lstm(x)
        return self.head(h[-1]).squeeze(-1)


def test_training_reaches_torch_loss():
    """A few SGD steps on "the sum of the sequence's first feature": same weights, same loss at the end."""
    torch.manual_seed(0)
    state = {"lstm": torch.nn.LSTM(2, 8, batch_first=True).state_dict(), "head": torch.nn.Linear(8, 1).state_dict()}
    state = {name: {k: v.numpy() for k, v in sd.items()} for name, sd in state.items()}
    x = arrays((16, 6, 2), np.float32, low=-1, high=1)
    y = x[:, :, 0].sum(1)
    losses = {}
    for lib in (minitorch, torch):
        model = Regressor(lib, state)
        optimizer = lib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        for _ in range(20):
            optimizer.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            optimizer.step()
        losses[lib.__name__] = loss.item()
    assert losses["minitorch"] < 0.5 * float(np.mean(y ** 2))
    assert losses["minitorch"] == pytest.approx(losses["torch"], rel=1e-4)
