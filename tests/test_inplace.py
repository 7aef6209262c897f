"""In-place ops against torch: values, dtype rules, views, and gradients through in-place writes."""
import operator

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, check, raises

X = arrays((3, 4), seed=0, low=0.2, high=2.0)

METHODS = {
    "add_": lambda x: x.add_(1.5), "add_alpha": lambda x: x.add_(x.detach(), alpha=2), "sub_": lambda x: x.sub_(0.5),
    "mul_": lambda x: x.mul_(3), "div_": lambda x: x.div_(4), "pow_": lambda x: x.pow_(2), "neg_": lambda x: x.neg_(),
    "exp_": lambda x: x.exp_(), "expm1_": lambda x: x.expm1_(), "log_": lambda x: x.log_(),
    "log1p_": lambda x: x.log1p_(), "sqrt_": lambda x: x.sqrt_(), "rsqrt_": lambda x: x.rsqrt_(),
    "square_": lambda x: x.square_(), "reciprocal_": lambda x: x.reciprocal_(), "abs_": lambda x: x.abs_(),
    "sign_": lambda x: x.sign_(), "floor_": lambda x: x.floor_(), "ceil_": lambda x: x.ceil_(),
    "trunc_": lambda x: x.trunc_(), "round_": lambda x: x.round_(), "frac_": lambda x: x.frac_(),
    "sin_": lambda x: x.sin_(), "cos_": lambda x: x.cos_(), "tan_": lambda x: x.tan_(), "tanh_": lambda x: x.tanh_(),
    "sigmoid_": lambda x: x.sigmoid_(), "relu_": lambda x: (x - 1).relu_(), "clamp_": lambda x: x.clamp_(0.5, 1.5),
    "clip_": lambda x: x.clip_(max=1.0), 
    "remainder_": lambda x: x.remainder_(0.7), "fmod_": lambda x: x.fmod_(0.7),
    "floor_divide_": lambda x: x.floor_divide_(0.7), "masked_fill_": lambda x: x.masked_fill_(x > 1, 0.0),
    "scatter_": lambda x: x.scatter_(1, torch_or_mt(x).tensor([[0], [1], [2]]), 9.0),
    "scatter_add_": lambda x: x.scatter_add_(0, torch_or_mt(x).tensor([[0, 1, 2, 0]]), x.detach()[:1].clone()),
    "index_add_": lambda x: x.index_add_(0, torch_or_mt(x).tensor([0, 0]), x.detach()[:2].clone()),
    "fill_": lambda x: x.fill_(2.5), "zero_": lambda x: x.zero_(), "copy_": lambda x: x.copy_(x.detach().t().t() * 0 + 3),
    "copy_broadcast": lambda x: x.copy_(torch_or_mt(x).tensor([1, 2, 3, 4])),
    "iadd": lambda x: operator.iadd(x, 2), "isub": lambda x: operator.isub(x, x.detach()),
    "imul": lambda x: operator.imul(x, 2), "itruediv": lambda x: operator.itruediv(x, 2),
    "ipow": lambda x: operator.ipow(x, 2), "imod": lambda x: operator.imod(x, 0.7),
    "ifloordiv": lambda x: operator.ifloordiv(x, 0.7),
}
NON_SMOOTH = {"remainder_", "fmod_", "floor_divide_", "imod", "ifloordiv", "scatter_", "sign_", "floor_", "ceil_",
              "trunc_", "round_"}


def torch_or_mt(x):
    return torch if isinstance(x, torch.Tensor) else minitorch


@pytest.mark.parametrize("name", METHODS)
def test_inplace_values_and_gradients_match_torch(name):
    def fn(t, x):
        y = x * 1  # a non-leaf: in-place ops on it are recorded
        out = METHODS[name](y)
        assert out is y or name == "relu_"
        return y
    check(fn, X, grad=name not in NON_SMOOTH)


@pytest.mark.parametrize("name", METHODS)
def test_inplace_without_grad(name):
    check(lambda t, x: METHODS[name](x) if name != "relu_" else x, X.astype(np.float32), grad=False)


def test_inplace_through_views_changes_the_base_and_its_gradient():
    def fn(t, x):
        y = x * 2
        y[0].mul_(10)
        y[:, 1:3].add_(y[:, :2].detach().clone())
        y.t()[0].exp_()
        return y
    check(fn, X)


def test_integer_inplace_ops():
    check(lambda t, x: (x.add_(2), x.mul_(3), x.sub_(1), x.floor_divide_(2), x.remainder_(4), x.neg_(), x)[-1],
          np.array([1, 5, -3, 8]))
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        minitorch.tensor([1, 2]).div_(2)
    with raises(RuntimeError, "result type Float can't be cast to the desired output type Long"):
        minitorch.tensor([1, 2]).exp_()


def test_inplace_broadcasting_rule():
    x = minitorch.ones(2, 3)
    x += minitorch.ones(3)
    assert x.tolist() == [[2.0] * 3] * 2
    with raises(RuntimeError, "output with shape [3] doesn't match the broadcast shape [2, 3]"):
        minitorch.ones(3).add_(minitorch.ones(2, 3))


def test_fill_and_zero_cast_like_torch():
    check(lambda t, x: x.fill_(2.7), np.array([1, 2]))
    check(lambda t, x: x.fill_(t.tensor(3.5)), np.array([1.0, 2.0]), grad=False)
    check(lambda t, x: x.copy_(t.tensor([1.9, -2.9])), np.array([1, 2]))


def test_random_inplace_fills():
    minitorch.manual_seed(0)
    x = minitorch.empty(1000)
    x.uniform_(2, 3)
    assert 2 <= x.min().item() and x.max().item() < 3
    x.normal_(5, 0.1)
    assert abs(x.mean().item() - 5) < 0.05
    w = minitorch.zeros(3, requires_grad=True)
    with minitorch.no_grad():
        w.uniform_(-1, 1)
    assert w.requires_grad and w.is_leaf


def _write_through_single_elements(lib):
    """x[i] and unbind() are views even when they pick one element (a 0-d tensor), so an in-place op
    on them changes the tensor they came from."""
    x = lib.arange(6.0)
    x[2].fill_(7)
    x[3].add_(10)
    x.unbind()[5].fill_(9)
    m = lib.zeros(2, 3)
    m[1, 2].copy_(lib.tensor(4.0))
    m[0][1].fill_(5)
    y = lib.arange(4.0).requires_grad_()
    z = y * 1
    z[1].mul_(5)
    z.sum().backward()
    return x.tolist(), m.tolist(), y.grad.tolist()


def test_in_place_ops_on_one_picked_element_write_into_the_tensor_as_torch():
    assert _write_through_single_elements(minitorch) == _write_through_single_elements(torch)


@pytest.mark.parametrize("make_base", [lambda lib: lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True),
                                       lambda lib: lib.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True) * 2],
                         ids=["leaf", "non-leaf"])
def test_a_view_made_under_no_grad_cannot_be_changed_in_place_with_grad_on(make_base):
    """torch forbids it (would the write be recorded or not?); minitorch used to change the leaf silently."""
    for lib in (torch, minitorch):
        base = make_base(lib)
        with lib.no_grad():
            view = base[:2]
        with raises(RuntimeError, "A view was created in no_grad mode and is being modified inplace"):
            view.mul_(2)
        with lib.no_grad():
            view.mul_(2)  # both inside no_grad: allowed, untracked
        assert base.tolist()[:2] == ([2.0, 4.0] if base.grad_fn is None else [4.0, 8.0])
