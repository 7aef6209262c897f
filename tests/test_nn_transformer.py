"""scaled_dot_product_attention, MultiheadAttention and the Transformer layers against torch: the same
weights (torch's state_dict loaded into minitorch), the same inputs, then outputs, attention weights,
input gradients and every parameter's gradient compared."""
import math

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises

DTYPES = ["float32", "float64"]
pytestmark = [pytest.mark.filterwarnings("ignore:enable_nested_tensor is True"),  # torch's fast path, not ours
              pytest.mark.filterwarnings("ignore:Support for mismatched")]  # checked once, below


def lib_of(tensor):
    return torch if isinstance(tensor, torch.Tensor) else minitorch


# ---------------------------------------------------------------- scaled_dot_product_attention

def mask_without_empty_rows(shape, seed):
    """A random bool mask where every query row keeps at least its first key (no empty rows)."""
    mask = arrays(shape, np.bool_, seed=seed)
    mask[..., 0] = True
    return mask


SDPA_CASES = {
    "plain": (lambda q: {}, (2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)),
    "unbatched_2d": (lambda q: {}, (4, 5), (6, 5), (6, 3)),
    "broadcast_batch": (lambda q: {}, (2, 3, 4, 5), (1, 3, 6, 5), (1, 3, 6, 5)),
    "scale": (lambda q: {"scale": 0.3}, (2, 4, 5), (2, 6, 5), (2, 6, 5)),
    "causal": (lambda q: {"is_causal": True}, (2, 3, 5, 4), (2, 3, 5, 4), (2, 3, 5, 4)),
    "causal_wide": (lambda q: {"is_causal": True}, (2, 4, 3), (2, 6, 3), (2, 6, 3)),
    "causal_tall": (lambda q: {"is_causal": True}, (2, 6, 3), (2, 4, 3), (2, 4, 3)),
    "bool_mask": (lambda q: {"attn_mask": lib_of(q).tensor(mask_without_empty_rows((4, 6), 7))},
                  (2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5)),
    "bool_mask_batched": (lambda q: {"attn_mask": lib_of(q).tensor(mask_without_empty_rows((2, 1, 4, 6), 8))},
                          (2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5)),
    "float_mask": (lambda q: {"attn_mask": lib_of(q).tensor(arrays((4, 6), seed=9)).to(q.dtype)},
                   (2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 5)),
    "gqa": (lambda q: {"enable_gqa": True}, (2, 4, 3, 5), (2, 2, 6, 5), (2, 2, 6, 5)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", SDPA_CASES)
def test_sdpa_matches_torch(name, dtype):
    extra, *shapes = SDPA_CASES[name]
    inputs = [arrays(s, dtype, seed=i) for i, s in enumerate(shapes)]
    check(lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v, **extra(q)), *inputs)


def test_sdpa_float_mask_gets_torchs_gradient():
    q, k, v, mask = (arrays(s, np.float64, seed=i) for i, s in enumerate([(2, 4, 3), (2, 5, 3), (2, 5, 3), (4, 5)]))
    check(lambda lib, *xs: lib.nn.functional.scaled_dot_product_attention(*xs[:3], attn_mask=xs[3]), q, k, v, mask)


def test_sdpa_row_with_no_allowed_key_gives_zeros_as_torch():
    mask = np.ones((3, 4), bool)
    mask[1] = False
    q, k, v = (arrays(s, np.float64, seed=i) for i, s in enumerate([(2, 3, 5), (2, 4, 5), (2, 4, 5)]))
    out = check(lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=lib.tensor(mask)), q, k, v)[0]
    assert not out.detach().numpy()[:, 1].any()


@pytest.mark.parametrize("extra", [{}, {"is_causal": True}, {"scale": 0.5}])
def test_sdpa_gradcheck(extra):
    shapes = [(2, 3, 4), (2, 3, 4), (2, 3, 2)]
    gradcheck(lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v, **extra),
              *[arrays(s, np.float64, seed=i) for i, s in enumerate(shapes)])


def test_sdpa_dropout_keeps_the_expected_value():
    minitorch.manual_seed(0)
    q, k, v = (minitorch.tensor(arrays(s, np.float64, seed=i)) for i, s in enumerate([(1, 6, 3), (1, 8, 3), (1, 8, 4)]))
    plain = minitorch.nn.functional.scaled_dot_product_attention(q, k, v).numpy()
    runs = [minitorch.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=0.5).numpy() for _ in range(2000)]
    assert not np.allclose(runs[0], plain)
    np.testing.assert_allclose(np.mean(runs, axis=0), plain, atol=0.1)


SDPA_ERRORS = [
    ({"attn_mask": np.ones((3, 4), bool), "is_causal": True}, [(2, 3, 5), (2, 4, 5), (2, 4, 5)],
     "Explicit attn_mask should not be set when is_causal=True"),
    ({}, [(2, 3, 5), (2, 4, 6), (2, 4, 5)], "[2, 3, 5]"),
    ({}, [(2, 3, 5), (2, 4, 5), (2, 6, 5)], "[2, 6, 5]"),
    ({}, [(2, 3, 5), (3, 4, 5), (3, 4, 5)], "do not broadcast"),
    ({}, [(5,), (5,), (5,)], "at least 2-D"),
    ({"attn_mask": np.zeros((3, 4), np.int64)}, [(2, 3, 5), (2, 4, 5), (2, 4, 5)], "attn_mask.dtype"),
    ({"enable_gqa": True}, [(2, 4, 3, 5), (2, 3, 4, 5), (2, 3, 4, 5)], "multiple"),
]


@pytest.mark.parametrize("extra, shapes, fragment", SDPA_ERRORS)
def test_sdpa_bad_input_raises_torchs_class(extra, shapes, fragment):
    for lib in (torch, minitorch):
        q, k, v = (lib.tensor(arrays(s, np.float32, seed=i)) for i, s in enumerate(shapes))
        kwargs = {key: lib.tensor(val) if isinstance(val, np.ndarray) else val for key, val in extra.items()}
        with raises(RuntimeError, *([fragment] if lib is minitorch else [])):
            lib.nn.functional.scaled_dot_product_attention(q, k, v, **kwargs)


def test_sdpa_mixed_dtypes_raise_as_torch():
    for lib in (torch, minitorch):
        q = lib.tensor(arrays((2, 3), np.float32))
        with raises(RuntimeError, "same dtype"):
            lib.nn.functional.scaled_dot_product_attention(q, q, q.double())


# ---------------------------------------------------------------- helpers for modules

def twins(make, dtype):
    """The same module in torch and minitorch (minitorch's loaded from torch's state_dict), in eval mode."""
    torch.manual_seed(0)
    theirs = make(torch.nn).to(getattr(torch, dtype)).eval()
    mine = make(minitorch.nn).to(getattr(minitorch, dtype)).eval()
    assert list(mine.state_dict()) == list(theirs.state_dict())
    mine.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    return mine, theirs


def compare_modules(mine, theirs, call, arrays_in, rtol=None, atol=None):
    """``call(lib, module, *tensors)`` in both libraries: outputs, then, after the same backward, the
    gradients of every input and every parameter."""
    mt_in = [minitorch.tensor(a, requires_grad=True) for a in arrays_in]
    th_in = [torch.tensor(a, requires_grad=True) for a in arrays_in]
    mt_out, th_out = call(minitorch, mine, *mt_in), call(torch, theirs, *th_in)
    mt_out, th_out = ([o for o in out if o is not None] for out in (
        mt_out if isinstance(mt_out, tuple) else (mt_out,), th_out if isinstance(th_out, tuple) else (th_out,)))
    assert len(mt_out) == len(th_out)
    rng = np.random.default_rng(0)
    seeds = []
    for i, (m, t) in enumerate(zip(mt_out, th_out)):
        assert_close(m, t, atol, rtol, what=f"output {i}")
        seeds.append(rng.standard_normal(t.shape).astype(t.detach().numpy().dtype))
    torch.autograd.backward(th_out, [torch.tensor(s) for s in seeds])
    minitorch.autograd.backward(mt_out, [minitorch.tensor(s) for s in seeds])
    for i, (m, t) in enumerate(zip(mt_in, th_in)):
        assert_close(m.grad, t.grad, atol, rtol, what=f"gradient of input {i}")
    theirs_params = dict(theirs.named_parameters())
    for name, p in mine.named_parameters():
        expected = theirs_params[name].grad
        if expected is None:
            assert p.grad is None or not p.grad.numpy().any(), name
        else:
            assert_close(p.grad, expected, atol, rtol, what=f"gradient of {name}")


def mask(lib, array):
    return None if array is None else lib.tensor(array)


# ---------------------------------------------------------------- MultiheadAttention

L, S, N, E = 3, 4, 2, 8
KPM = np.zeros((N, S), bool)
KPM[1, -1] = True
BOOL_2D = np.triu(np.ones((L, S), bool), 1)  # True = NOT allowed, every row keeps key 0
FLOAT_3D = arrays((N * 2, L, S), np.float64, seed=5)

MHA_CASES = {  # name: (constructor kwargs, (query, key, value) shapes, forward kwargs with masks as numpy)
    "plain": ({}, [(L, N, E), (S, N, E), (S, N, E)], {}),
    "batch_first": ({"batch_first": True}, [(N, L, E), (N, S, E), (N, S, E)], {}),
    "bool_mask_2d": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": BOOL_2D}),
    "float_mask_3d": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": FLOAT_3D}),
    "bool_mask_3d": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": np.stack([BOOL_2D] * (N * 2))}),
    "key_padding_bool": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"key_padding_mask": KPM}),
    "key_padding_float": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"key_padding_mask": np.where(KPM, -1e9, 0.0)}),
    "both_masks": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": BOOL_2D, "key_padding_mask": KPM}),
    "per_head_weights": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"average_attn_weights": False}),
    "no_weights": ({}, [(L, N, E), (S, N, E), (S, N, E)], {"need_weights": False, "attn_mask": BOOL_2D,
                                                            "key_padding_mask": KPM}),
    "kdim_vdim": ({"kdim": 5, "vdim": 6}, [(L, N, E), (S, N, 5), (S, N, 6)], {"key_padding_mask": KPM}),
    "kdim_vdim_batch_first": ({"kdim": 5, "vdim": 6, "batch_first": True}, [(N, L, E), (N, S, 5), (N, S, 6)], {}),
    "no_bias": ({"bias": False}, [(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": BOOL_2D}),
    "add_bias_kv": ({"add_bias_kv": True}, [(L, N, E), (S, N, E), (S, N, E)],
                    {"attn_mask": BOOL_2D, "key_padding_mask": KPM}),
    "add_zero_attn": ({"add_zero_attn": True}, [(L, N, E), (S, N, E), (S, N, E)],
                      {"attn_mask": FLOAT_3D, "key_padding_mask": KPM}),
    "bias_kv_and_zero_attn": ({"add_bias_kv": True, "add_zero_attn": True}, [(L, N, E), (S, N, E), (S, N, E)],
                              {"need_weights": False}),
    "unbatched": ({}, [(L, E), (S, E), (S, E)], {"attn_mask": BOOL_2D, "key_padding_mask": KPM[1]}),
    "unbatched_3d_mask": ({}, [(L, E), (S, E), (S, E)], {"attn_mask": FLOAT_3D[:2]}),
    "unbatched_kdim_no_weights": ({"kdim": 3, "vdim": 3}, [(L, E), (S, 3), (S, 3)], {"need_weights": False}),
    "causal_hint": ({}, [(L, N, E), (L, N, E), (L, N, E)], {"attn_mask": np.triu(np.ones((L, L), bool), 1),
                                                            "is_causal": True, "need_weights": False}),
}


def mha_call(forward_kwargs):
    def call(lib, module, q, k, v):
        kwargs = {key: mask(lib, val) if isinstance(val, np.ndarray) else val for key, val in forward_kwargs.items()}
        for key, val in kwargs.items():  # float masks in the inputs' dtype
            if isinstance(val, (torch.Tensor, minitorch.Tensor)) and val.dtype.is_floating_point:
                kwargs[key] = val.to(q.dtype)
        return module(q, k, v, **kwargs)
    return call


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", MHA_CASES)
def test_multihead_attention_matches_torch(name, dtype):
    init_kwargs, shapes, forward_kwargs = MHA_CASES[name]
    mine, theirs = twins(lambda nn: nn.MultiheadAttention(E, 2, **init_kwargs), dtype)
    inputs = [arrays(s, dtype, seed=i) for i, s in enumerate(shapes)]
    compare_modules(mine, theirs, mha_call(forward_kwargs), inputs)


@pytest.mark.parametrize("dtype", DTYPES)
def test_self_attention_with_one_tensor_matches_torch(dtype):
    mine, theirs = twins(lambda nn: nn.MultiheadAttention(E, 4, batch_first=True), dtype)
    compare_modules(mine, theirs, lambda lib, m, x: m(x, x, x), [arrays((N, L, E), dtype)])


@pytest.mark.parametrize("init_kwargs", [{}, {"kdim": 3, "vdim": 5, "add_bias_kv": True, "add_zero_attn": True}])
def test_multihead_attention_gradcheck(init_kwargs):
    layer = minitorch.nn.MultiheadAttention(4, 2, **init_kwargs).double()
    kdim, vdim = init_kwargs.get("kdim", 4), init_kwargs.get("vdim", 4)
    inputs = tuple(minitorch.tensor(arrays(s, np.float64, seed=i), requires_grad=True)
                   for i, s in enumerate([(2, 2, 4), (3, 2, kdim), (3, 2, vdim)]))
    params = tuple(layer.parameters())
    assert minitorch.autograd.gradcheck(lambda *xs: layer(*xs[:3])[0], inputs + params)


def test_multihead_attention_dropout_only_in_training():
    layer = minitorch.nn.MultiheadAttention(E, 2, dropout=0.5)
    x = minitorch.randn(L, N, E)

    def two_runs():
        return [layer(x, x, x)[0].detach().numpy() for _ in range(2)]

    first, second = two_runs()
    assert not np.allclose(first, second)
    layer.eval()
    first, second = two_runs()
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("need_weights", [True, False])
def test_fully_padded_sample_gives_torchs_nan_or_zeros(need_weights):
    """With weights, torch's softmax over only -inf gives nan; without, its attention kernel gives 0."""
    padding = np.zeros((N, S), bool)
    padding[1] = True
    mine, theirs = twins(lambda nn: nn.MultiheadAttention(E, 2), "float64")
    q, k = arrays((L, N, E), np.float64, seed=0), arrays((S, N, E), np.float64, seed=1)
    outputs = [m(lib.tensor(q), lib.tensor(k), lib.tensor(k), key_padding_mask=lib.tensor(padding),
                 need_weights=need_weights)[0] for lib, m in ((minitorch, mine), (torch, theirs))]
    assert_close(*outputs)
    assert np.isnan(outputs[1].detach().numpy()[:, 1]).all() == need_weights


@pytest.mark.parametrize("init_kwargs", [{}, {"kdim": 3, "vdim": 5}, {"bias": False, "add_bias_kv": True}])
def test_multihead_attention_state_dict_and_repr_are_torchs(init_kwargs):
    mine, theirs = (lib.nn.MultiheadAttention(6, 3, **init_kwargs) for lib in (minitorch, torch))
    assert list(mine.state_dict()) == list(theirs.state_dict())
    assert [tuple(p.shape) for p in mine.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert repr(mine) == repr(theirs)


def test_multihead_attention_init_follows_torchs_distributions():
    minitorch.manual_seed(0)
    layer = minitorch.nn.MultiheadAttention(64, 4, add_bias_kv=True, kdim=32)
    bound = math.sqrt(6 / (64 + 64))
    for name in ("q_proj_weight", "v_proj_weight"):
        w = getattr(layer, name).detach().numpy()
        assert np.abs(w).max() <= bound and abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound, name
    k = layer.k_proj_weight.detach().numpy()
    k_bound = math.sqrt(6 / (64 + 32))
    assert np.abs(k).max() <= k_bound and abs(k.std() - k_bound / math.sqrt(3)) < 0.05 * k_bound
    assert not layer.in_proj_bias.detach().numpy().any() and not layer.out_proj.bias.detach().numpy().any()
    out = layer.out_proj.weight.detach().numpy()
    assert np.abs(out).max() <= 1 / 8 and abs(out.std() - 1 / 8 / math.sqrt(3)) < 0.05 / 8
    extra = np.concatenate([layer.bias_k.detach().numpy().ravel(), layer.bias_v.detach().numpy().ravel()])
    assert abs(extra.std() - 1 / 8) < 0.3 / 8  # xavier_normal_ of (1, 1, 64): std = sqrt(2 / (64 + 64))
    packed = minitorch.nn.MultiheadAttention(64, 4).in_proj_weight.detach().numpy()
    packed_bound = math.sqrt(6 / (64 + 192))
    assert np.abs(packed).max() <= packed_bound
    assert abs(packed.std() - packed_bound / math.sqrt(3)) < 0.05 * packed_bound


@pytest.mark.parametrize("args, exc", [((5, 2), AssertionError), ((0, 1), ValueError), ((4, 0), ValueError)])
def test_multihead_attention_construction_errors_are_torchs(args, exc):
    for lib in (torch, minitorch):
        with raises(exc, *(["divisible"] if exc is AssertionError else ["greater than 0"])):
            lib.nn.MultiheadAttention(*args)


MHA_ERRORS = [
    ([(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": np.zeros((L, L), bool)}, RuntimeError, "2D attn_mask"),
    ([(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": np.zeros((N, L, S), bool)}, RuntimeError, "3D attn_mask"),
    ([(L, N, E), (S, N, E), (S, N, E)], {"attn_mask": np.zeros((1, 1, L, S), bool)}, AssertionError, "4-D"),
    ([(L, N, E), (S, N, E), (S, N, E)], {"key_padding_mask": np.zeros((N, L), bool)}, AssertionError, "(2, 4)"),
    ([(L, N, E), (S, N, E), (S, N, E)], {"key_padding_mask": np.zeros((N, S), np.int64)}, AssertionError,
     "only bool and floating"),
    ([(L, N, E), (S, N, E), (S, N, E)], {"is_causal": True}, RuntimeError, "Need attn_mask"),
    ([(L, N, E), (S, N, E), (S + 1, N, E)], {}, AssertionError, "does not match value shape"),
    ([(L, N, 6), (S, N, 6), (S, N, 6)], {}, AssertionError, "embedding dimension of 8, but got 6"),
    ([(L, N, E), (S, E), (S, E)], {}, AssertionError, "2-D and 2-D"),
    ([(L, N, 1, E)] * 3, {}, AssertionError, "4-D query"),
]


@pytest.mark.parametrize("shapes, kwargs, exc, fragment", MHA_ERRORS)
def test_multihead_attention_bad_input_raises_torchs_class(shapes, kwargs, exc, fragment):
    for lib in (torch, minitorch):
        layer = lib.nn.MultiheadAttention(E, 2)
        q, k, v = (lib.tensor(arrays(s, np.float32, seed=i)) for i, s in enumerate(shapes))
        forward_kwargs = {key: mask(lib, val) if isinstance(val, np.ndarray) else val for key, val in kwargs.items()}
        with raises(exc, *([fragment] if lib is minitorch else [])):
            layer(q, k, v, **forward_kwargs)


def test_mismatched_mask_types_warn_as_torch():
    for lib in (torch, minitorch):
        layer, x = lib.nn.MultiheadAttention(E, 2), lib.tensor(arrays((L, N, E), np.float32))
        with pytest.warns(UserWarning, match="mismatched key_padding_mask and attn_mask"):
            layer(x, x, x, key_padding_mask=lib.tensor(np.zeros((N, L), bool)), attn_mask=lib.zeros(L, L))


# ---------------------------------------------------------------- Transformer layers

D, H, FF = 8, 2, 16
SRC_MASK_BOOL = np.triu(np.ones((L, L), bool), 1)
SRC_KPM = np.zeros((N, L), bool)
SRC_KPM[0, -1] = True


def encoder_layer(nn, **kwargs):
    return nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, **kwargs)


ENCODER_CASES = {  # name: (layer kwargs, input shape, forward kwargs)
    "post_norm": ({}, (L, N, D), {}),
    "norm_first": ({"norm_first": True}, (L, N, D), {}),
    "gelu_batch_first": ({"activation": "gelu", "batch_first": True}, (N, L, D), {}),
    "callable_activation": ({"activation": "module_gelu"}, (L, N, D), {}),
    "bool_mask_and_padding": ({}, (L, N, D), {"src_mask": SRC_MASK_BOOL, "src_key_padding_mask": SRC_KPM}),
    "float_mask_causal": ({"norm_first": True}, (L, N, D),
                          {"src_mask": np.triu(np.full((L, L), -np.inf), 1), "is_causal": True}),
    "no_bias": ({"bias": False}, (L, N, D), {"src_key_padding_mask": SRC_KPM}),
    "unbatched": ({"norm_first": True}, (L, D), {"src_mask": SRC_MASK_BOOL}),
}


def forward_kwargs(lib, kwargs, dtype):
    out = {}
    for key, val in kwargs.items():
        if isinstance(val, np.ndarray):
            val = lib.tensor(val)
            val = val.to(getattr(lib, dtype)) if val.dtype.is_floating_point else val
        out[key] = val
    return out


def layer_kwargs(nn, kwargs):
    if kwargs.get("activation") == "module_gelu":
        return {**kwargs, "activation": nn.GELU()}
    return kwargs


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ENCODER_CASES)
def test_encoder_layer_matches_torch(name, dtype):
    init_kwargs, shape, kwargs = ENCODER_CASES[name]
    mine, theirs = twins(lambda nn: encoder_layer(nn, **layer_kwargs(nn, init_kwargs)), dtype)
    compare_modules(mine, theirs, lambda lib, m, x: m(x, **forward_kwargs(lib, kwargs, dtype)),
                    [arrays(shape, dtype)])


DECODER_CASES = {  # name: (layer kwargs, tgt shape, memory shape, forward kwargs)
    "post_norm": ({}, (L, N, D), (S, N, D), {}),
    "norm_first_gelu": ({"norm_first": True, "activation": "gelu"}, (L, N, D), (S, N, D), {}),
    "masks": ({"batch_first": True}, (N, L, D), (N, S, D),
              {"tgt_mask": SRC_MASK_BOOL, "memory_mask": BOOL_2D, "tgt_key_padding_mask": SRC_KPM,
               "memory_key_padding_mask": KPM}),
    "float_masks_causal": ({}, (L, N, D), (S, N, D),
                           {"tgt_mask": np.triu(np.full((L, L), -np.inf), 1), "tgt_is_causal": True,
                            "memory_mask": np.where(BOOL_2D, -1e9, 0.5)}),
    "no_bias_unbatched": ({"bias": False}, (L, D), (S, D), {"memory_key_padding_mask": KPM[1]}),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", DECODER_CASES)
def test_decoder_layer_matches_torch(name, dtype):
    init_kwargs, tgt_shape, memory_shape, kwargs = DECODER_CASES[name]
    mine, theirs = twins(lambda nn: nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, **init_kwargs), dtype)
    compare_modules(mine, theirs, lambda lib, m, t, mem: m(t, mem, **forward_kwargs(lib, kwargs, dtype)),
                    [arrays(tgt_shape, dtype, seed=0), arrays(memory_shape, dtype, seed=1)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("norm", [False, True])
def test_encoder_and_decoder_stacks_match_torch(norm, dtype):
    def make_encoder(nn):
        return nn.TransformerEncoder(encoder_layer(nn), 2, norm=nn.LayerNorm(D) if norm else None,
                                     enable_nested_tensor=False)

    mine, theirs = twins(make_encoder, dtype)
    assert list(mine.state_dict())[0] == "layers.0.self_attn.in_proj_weight"
    kwargs = {"mask": SRC_MASK_BOOL, "src_key_padding_mask": SRC_KPM}
    compare_modules(mine, theirs, lambda lib, m, x: m(x, **forward_kwargs(lib, kwargs, dtype)), [arrays((L, N, D),
                                                                                                          dtype)])

    def make_decoder(nn):
        return nn.TransformerDecoder(nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 2,
                                     norm=nn.LayerNorm(D) if norm else None)

    mine, theirs = twins(make_decoder, dtype)
    compare_modules(mine, theirs, lambda lib, m, t, mem: m(t, mem, tgt_mask=lib.nn.Transformer.
                                                           generate_square_subsequent_mask(L, dtype=t.dtype)),
                    [arrays((L, N, D), dtype, seed=0), arrays((S, N, D), dtype, seed=1)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("batch_first", [False, True])
def test_transformer_matches_torch(batch_first, dtype):
    def make(nn):
        return nn.Transformer(D, H, 2, 2, FF, dropout=0.0, batch_first=batch_first)

    mine, theirs = twins(make, dtype)
    shape_src, shape_tgt = ((N, S, D), (N, L, D)) if batch_first else ((S, N, D), (L, N, D))

    def call(lib, m, src, tgt):
        tgt_mask = lib.nn.Transformer.generate_square_subsequent_mask(L, dtype=tgt.dtype)
        return m(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=lib.tensor(KPM),
                 memory_key_padding_mask=lib.tensor(KPM))

    compare_modules(mine, theirs, call, [arrays(shape_src, dtype, seed=0), arrays(shape_tgt, dtype, seed=1)])


def test_transformer_state_dict_keys_and_init_are_torchs():
    minitorch.manual_seed(0)
    mine, theirs = minitorch.nn.Transformer(16, 4, 2, 1, 32), torch.nn.Transformer(16, 4, 2, 1, 32)
    assert list(mine.state_dict()) == list(theirs.state_dict())
    w = mine.encoder.layers[1].linear1.weight.detach().numpy()  # xavier_uniform_, not Linear's own init
    bound = math.sqrt(6 / (16 + 32))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    a, b = mine.encoder.layers[0].linear1.weight, mine.encoder.layers[1].linear1.weight
    assert a is not b and not np.array_equal(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("make", [lambda nn: nn.Transformer(D, H, 1, 1, FF, activation=nn.GELU()),
                                  lambda nn: nn.TransformerEncoderLayer(D, H, FF, bias=False, norm_first=True),
                                  lambda nn: nn.TransformerDecoder(nn.TransformerDecoderLayer(D, H, FF), 2)])
def test_transformer_reprs_are_torchs(make):
    assert repr(make(minitorch.nn)) == repr(make(torch.nn))


def test_generate_square_subsequent_mask_is_torchs():
    for dtype in (None, "float64"):
        kwargs = {} if dtype is None else {"dtype": getattr(minitorch, dtype)}
        mine = minitorch.nn.Transformer.generate_square_subsequent_mask(4, **kwargs)
        theirs = torch.nn.Transformer.generate_square_subsequent_mask(
            4, **({} if dtype is None else {"dtype": getattr(torch, dtype)}))
        assert_close(mine, theirs)


def test_transformer_bad_input_raises_torchs_class():
    for lib in (torch, minitorch):
        model = lib.nn.Transformer(D, H, 1, 1, FF)
        with raises(RuntimeError, "batch number"):
            model(lib.zeros(S, N, D), lib.zeros(L, N + 1, D))
        with raises(RuntimeError, "d_model"):
            model(lib.zeros(S, N, D + 1), lib.zeros(L, N, D + 1))
        with raises(RuntimeError, "relu/gelu"):
            lib.nn.TransformerEncoderLayer(D, H, activation="tanh")


def test_training_a_tiny_encoder_reaches_torchs_loss():
    def make(nn):
        return nn.Sequential(nn.TransformerEncoder(encoder_layer(nn, batch_first=True), 2,
                                                   enable_nested_tensor=False), nn.Linear(D, 1))

    mine, theirs = twins(make, "float32")
    mine.train(), theirs.train()
    x, y = arrays((4, 5, D), np.float32, seed=0), arrays((4, 5, 1), np.float32, seed=1)
    losses = {}
    for lib, model in ((minitorch, mine), (torch, theirs)):
        opt = lib.optim.Adam(model.parameters(), lr=0.01)
        losses[lib.__name__] = []
        for _ in range(5):
            opt.zero_grad()
            loss = lib.nn.functional.mse_loss(model(lib.tensor(x)), lib.tensor(y))
            loss.backward()
            opt.step()
            losses[lib.__name__].append(loss.item())
    np.testing.assert_allclose(losses["minitorch"], losses["torch"], rtol=1e-4)
    assert losses["torch"][-1] < losses["torch"][0]


def test_functional_multi_head_attention_with_static_keys_matches_torch():
    """F.multi_head_attention_forward called directly: separate projections and precomputed keys and values."""
    heads, head_dim = 2, E // 2
    shapes = [(L, N, E), (S, N, 5), (S, N, 6), (E, E), (E, 5), (E, 6), (3 * E,), (E, E), (E,),
              (N * heads, S, head_dim), (N * heads, S, head_dim)]

    def attend(lib, q, k, v, wq, wk, wv, b, wo, bo, static_k, static_v):
        return lib.nn.functional.multi_head_attention_forward(
            q, k, v, E, heads, None, b, None, None, True, 0.0, wo, bo, use_separate_proj_weight=True,
            q_proj_weight=wq, k_proj_weight=wk, v_proj_weight=wv, static_k=static_k, static_v=static_v,
            average_attn_weights=False)

    check(attend, *[arrays(s, np.float64, seed=i) for i, s in enumerate(shapes)])


def test_default_transformer_trains_with_dropout_and_every_parameter_gets_a_gradient():
    minitorch.manual_seed(0)
    model = minitorch.nn.Transformer(D, H, 1, 1, FF)  # dropout 0.1, in training mode
    src, tgt = minitorch.randn(S, N, D), minitorch.randn(L, N, D)
    first = model(src, tgt)
    first.sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    assert not np.allclose(first.detach().numpy(), model(src, tgt).detach().numpy())
    model.eval()
    np.testing.assert_array_equal(model(src, tgt).detach().numpy(), model(src, tgt).detach().numpy())
