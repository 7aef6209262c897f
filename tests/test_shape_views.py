"""Movement ops against torch, and views that share memory exactly where torch's do."""
import numpy as np
import pytest
import torch
from hypothesis import given, strategies as st

import minitorch
from oracle import arrays, assert_close, check, gradcheck, raises, shapes

X = arrays((2, 3, 4), seed=0)

MOVES = {
    "reshape": lambda t, x: x.reshape(4, -1), "reshape_tuple": lambda t, x: t.reshape(x, (6, 4)),
    "view": lambda t, x: x.view(-1), "view_as": lambda t, x: x.view(6, 4).view_as(x),
    "flatten": lambda t, x: x.flatten(), "flatten_1": lambda t, x: t.flatten(x, 1),
    "unflatten": lambda t, x: x.unflatten(2, (2, 2)), "permute": lambda t, x: x.permute(2, 0, 1),
    "permute_tuple": lambda t, x: t.permute(x, (1, 2, 0)), "transpose": lambda t, x: x.transpose(0, 2),
    "swapaxes": lambda t, x: t.swapaxes(x, -1, 0), "t": lambda t, x: x[0].t(), "T": lambda t, x: x[0].T,
    "mT": lambda t, x: x.mT, "movedim": lambda t, x: t.movedim(x, 0, -1),
    "expand": lambda t, x: x[:, :1].expand(2, 5, 4), "expand_new": lambda t, x: x.expand(3, -1, -1, -1),
    "expand_as": lambda t, x: x[0, :, :1].expand_as(x), "broadcast_to": lambda t, x: t.broadcast_to(x[0], (5, 3, 4)),
    "squeeze": lambda t, x: x[:, :1].squeeze(), "squeeze_dim": lambda t, x: x[:1].squeeze(0),
    "squeeze_noop": lambda t, x: x.squeeze(1), "squeeze_tuple": lambda t, x: x[:1, :1].squeeze((0, 1)),
    "unsqueeze": lambda t, x: x.unsqueeze(1), "unsqueeze_neg": lambda t, x: t.unsqueeze(x, -1),
    "narrow": lambda t, x: x.narrow(1, 1, 2), "narrow_neg": lambda t, x: t.narrow(x, -1, -3, 2),
    "select": lambda t, x: x.select(1, -1), "clone": lambda t, x: x.clone(),
    "contiguous": lambda t, x: x.transpose(0, 1).contiguous(), "flip": lambda t, x: x.flip(0, 2),
    "flip_fn": lambda t, x: t.flip(x, (1,)), "repeat": lambda t, x: x.repeat(2, 1, 2),
    "repeat_more": lambda t, x: x[0].repeat(2, 1, 1), "tile": lambda t, x: t.tile(x, (2,)),
    "roll": lambda t, x: x.roll(1, 2), "roll_multi": lambda t, x: t.roll(x, (1, -1), (0, 1)),
    "roll_flat": lambda t, x: x.roll(5), "unbind": lambda t, x: x.unbind(1),
    "split": lambda t, x: x.split(2, dim=2), "split_uneven": lambda t, x: t.split(x, 2, 1),
    "split_sizes": lambda t, x: x.split([1, 3], -1), "chunk": lambda t, x: x.chunk(2, 1),
    "chunk_more": lambda t, x: t.chunk(x, 3, 2), "cat": lambda t, x: t.cat([x, x * 2], 1),
    "cat_neg": lambda t, x: t.cat((x[:, :1], x), dim=-2), "stack": lambda t, x: t.stack([x, -x]),
    "stack_last": lambda t, x: t.stack([x, x, x], dim=-1), "hstack": lambda t, x: t.hstack([x, x]),
    "vstack": lambda t, x: t.vstack([x[0, 0], x[1, 1]]), "concat": lambda t, x: t.concat([x, x], 2),
    "take_along": lambda t, x: x.reshape(-1).reshape(4, 6).t().reshape(-1),
}


@pytest.mark.parametrize("name", MOVES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_movement_matches_torch(name, dtype):
    check(MOVES[name], X.astype(dtype))


@pytest.mark.parametrize("name", [n for n in MOVES if n not in {"clone"}])
def test_movement_gradcheck(name):
    gradcheck(lambda t, x: MOVES[name](t, x)[0] if isinstance(MOVES[name](t, x), tuple) else MOVES[name](t, x),
              X[:, :, :].copy())


@given(shape=shapes(min_dims=1, max_dims=4), data=st.data())
def test_reshape_permute_transpose_over_shapes(shape, data):
    ndim = len(shape)
    order = data.draw(st.permutations(range(ndim)))
    d0, d1 = data.draw(st.integers(-ndim, ndim - 1)), data.draw(st.integers(-ndim, ndim - 1))
    x = arrays(shape, seed=1)
    check(lambda t, a: a.permute(*order).reshape(-1), x)
    check(lambda t, a: a.transpose(d0, d1).contiguous().view(*reversed(shape)), x)
    check(lambda t, a: a.unsqueeze(d0).squeeze(), x)


@given(shapes_=st.lists(shapes(min_dims=2, max_dims=2, max_side=3), min_size=1, max_size=3), dim=st.sampled_from([0, 1]))
def test_cat_over_shapes(shapes_, dim):
    other = 1 - dim
    fixed = shapes_[0][other]
    arrays_ = [arrays(tuple(s[dim] if i == dim else fixed for i in range(2)), seed=i) for i, s in enumerate(shapes_)]
    check(lambda t, *xs: t.cat(xs, dim), *arrays_)


def test_cat_promotes_dtypes_and_skips_empty_1d():
    check(lambda t, a, b: t.cat([a, b]), np.array([1, 2]), np.array([0.5]))
    check(lambda t, a, b: t.cat([a, b]), np.zeros((0,)), np.ones((2, 3)))


# ----------------------------------------------------------------------------- memory sharing
VIEWS = {
    "view": lambda x: x.view(12, 2), "reshape": lambda x: x.reshape(-1), "transpose": lambda x: x.transpose(0, 1),
    "permute": lambda x: x.permute(2, 1, 0), "squeeze": lambda x: x.unsqueeze(0).squeeze(0),
    "unsqueeze": lambda x: x.unsqueeze(1), "flatten": lambda x: x.flatten(), "slice": lambda x: x[1:, ::2],
    "int_index": lambda x: x[1], "ellipsis": lambda x: x[..., 1], "narrow": lambda x: x.narrow(2, 1, 2),
    "select": lambda x: x.select(0, 0), "T": lambda x: x.mT, "unbind": lambda x: x.unbind(0)[1],
    "split": lambda x: x.split(1, 1)[1], "chunk": lambda x: x.chunk(2, 2)[1], "detach": lambda x: x.detach(),
    "view_of_view": lambda x: x[1].t()[::2], "unflatten": lambda x: x.unflatten(2, (2, 2)),
    "swapdims": lambda x: x.swapdims(1, 2), "movedim": lambda x: x.movedim(0, 2), "data": lambda x: x.data,
    "contiguous_noop": lambda x: x.contiguous(), "none_index": lambda x: x[None, :, 1],
}


@pytest.mark.parametrize("name", VIEWS)
def test_writes_through_views_reach_the_base_and_back(name):
    for lib in (minitorch, torch):
        base = lib.arange(1.0, 25.0).reshape(2, 3, 4)
        view = VIEWS[name](base)
        view.mul_(-1)
        assert (base < 0).sum().item() == view.numel(), lib.__name__
        base.zero_()
        assert (view == 0).all(), lib.__name__
    base = minitorch.arange(24.0).reshape(2, 3, 4)
    expected = torch.arange(24.0).reshape(2, 3, 4)
    v, w = VIEWS[name](base), VIEWS[name](expected)
    v[...] = 7
    w[...] = 7
    assert base.tolist() == expected.tolist()
    assert v.is_contiguous() == w.is_contiguous()
    # the stride of a size-1 dim never matters (numpy may report 0 there); the others must agree
    assert [s for s, n in zip(v.stride(), v.shape) if n > 1] == [s for s, n in zip(w.stride(), w.shape) if n > 1]


def test_expand_is_a_view_that_cannot_be_written():
    base = minitorch.zeros(3, 1)
    view = base.expand(3, 4)
    base += 1
    assert view.tolist() == [[1.0] * 4] * 3
    with raises(RuntimeError, "clone()"):
        view.add_(1)


@pytest.mark.parametrize("make", [lambda x: x.clone(), lambda x: x.transpose(0, 1).contiguous(),
                                  lambda x: x.flip(0), lambda x: x.transpose(0, 1).reshape(-1),
                                  lambda x: x.repeat(1, 1, 1), lambda x: x[[0, 1]], lambda x: x[x > 5],
                                  lambda x: minitorch.cat([x]), lambda x: x.roll(1)])
def test_copies_do_not_share_memory(make):
    base = minitorch.arange(24.0).reshape(2, 3, 4)
    copy = make(base)
    copy.fill_(-1)
    assert (base >= 0).all()


def test_view_on_non_contiguous_raises_like_torch():
    x = minitorch.ones(2, 3).t()
    with raises(RuntimeError, "view size is not compatible", ".reshape("):
        x.view(6)
    assert x.reshape(6).shape == (6,)


def test_version_counter_is_shared_with_views():
    x = minitorch.ones(3)
    v = x[1:]
    before = x._version
    v.add_(1)
    assert x._version == v._version == before + 1


# ----------------------------------------------------------------------------- bad input
def test_shape_bad_input():
    x = minitorch.ones(2, 3)
    with raises(RuntimeError, "shape '[4, 2]' is invalid for input of size 6"):
        x.view(4, 2)
    with raises(RuntimeError, "only one dimension can be inferred"):
        x.reshape(-1, -1)
    with raises(RuntimeError, "The expanded size of the tensor (4) must match the existing size (3)"):
        x.expand(2, 4)
    with raises(RuntimeError, "number of dimensions"):
        x.permute(1, 0, 2)
    with raises(IndexError, "Dimension out of range"):
        x.transpose(0, 2)
    with raises(IndexError, "Dimension out of range"):
        x.unsqueeze(3)
    with raises(RuntimeError, "Sizes of tensors must match except in dimension 0", "Expected size 3 but got size 4"):
        minitorch.cat([x, minitorch.ones(2, 4)])
    with raises(RuntimeError, "same number of dimensions: got 2 and 1"):
        minitorch.cat([x, minitorch.ones(3)])
    with raises(RuntimeError, "stack expects each tensor to be equal size", "[2, 3]", "[3, 2]"):
        minitorch.stack([x, x.t()])
    with raises(RuntimeError, "non-empty"):
        minitorch.stack([])
    with raises(RuntimeError, "exceeds dimension size"):
        x.narrow(1, 2, 2)
    with raises(RuntimeError, "split_sizes"):
        x.split([1, 1], 1)
    with raises(IndexError, "out of range"):
        x.select(0, 2)
    with raises(RuntimeError, "t() expects a tensor with <= 2 dimensions"):
        minitorch.ones(2, 2, 2).t()


def test_copies_are_named_clone_in_the_graph_like_torch():
    x = minitorch.ones(2, 3, requires_grad=True)
    assert x.clone().grad_fn.name() == "CloneBackward0"
    assert x.t().contiguous().grad_fn.name() == "CloneBackward0"


# ----------------------------------------------------------------------------- in-place shape methods
M = arrays((4, 3), seed=1)
INPLACE_SHAPES = {
    "unsqueeze_": lambda x: x.unsqueeze_(1), "unsqueeze_neg": lambda x: x.unsqueeze_(-1),
    "squeeze_": lambda x: x.unsqueeze_(0).squeeze_(), "squeeze_dim": lambda x: x.unsqueeze_(2).squeeze_(2),
    "squeeze_tuple": lambda x: x.unsqueeze_(0).squeeze_((0, 1)), "t_": lambda x: x.t_(),
    "transpose_": lambda x: x.transpose_(0, 1), "swapdims_": lambda x: x.swapdims_(1, 0),
    "swapaxes_": lambda x: x.swapaxes_(-1, 0), "tril_": lambda x: x.tril_(), "triu_": lambda x: x.triu_(1),
    "tril_neg": lambda x: x.tril_(-1),
}


@pytest.mark.parametrize("name", INPLACE_SHAPES)
def test_inplace_shape_methods_match_torch(name):
    def run(t, x):
        y = x * 2  # a non-leaf: torch records the in-place op on it
        out = INPLACE_SHAPES[name](y)
        assert out is y
        return y * y
    check(run, M)
    gradcheck(run, M)


@pytest.mark.parametrize("name", INPLACE_SHAPES)
def test_inplace_shape_methods_without_grad_and_versions(name):
    for lib in (minitorch, torch):
        x = lib.tensor(M.copy())
        out = INPLACE_SHAPES[name](x)
        assert out is x and x._version >= 1
    ours, theirs = minitorch.tensor(M.copy()), torch.tensor(M.copy())
    assert_close(INPLACE_SHAPES[name](ours), INPLACE_SHAPES[name](theirs))


def test_inplace_shape_of_a_view_keeps_sharing_memory():
    for lib in (minitorch, torch):
        base = lib.zeros(2, 3)
        view = base[0]
        view.unsqueeze_(0)
        assert tuple(view.shape) == (1, 3) and tuple(base.shape) == (2, 3)
        view[0, 1] = 5
        assert base[0, 1].item() == 5
        m = lib.zeros(2, 3, dtype=lib.int64)
        m.t_()
        m[0, 1] = 4
        assert tuple(m.shape) == (3, 2) and m.tril_().tolist() == [[0, 0], [0, 0], [0, 0]]


def test_inplace_shape_of_a_view_records_through_the_base():
    def run(t, x):
        y = x * 1
        v = y[1:]
        v.t_()
        v.mul_(3)  # recorded on y through the moved view
        return y
    check(run, M)


@pytest.mark.parametrize("make", [lambda x: x.unsqueeze_(0), lambda x: x.t_(), lambda x: x.tril_(),
                                  lambda x: x[0].unsqueeze_(0), lambda x: x.squeeze_()])
def test_inplace_shape_on_a_leaf_that_requires_grad_raises_as_torch(make):
    for lib in (torch, minitorch):
        x = lib.tensor(M.copy(), requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
            make(x)


def test_inplace_shape_on_a_leaf_under_no_grad_keeps_requires_grad():
    for lib in (torch, minitorch):
        x = lib.tensor(M.copy(), requires_grad=True)
        with lib.no_grad():
            x.t_()
        assert tuple(x.shape) == (3, 4) and x.requires_grad and x.is_leaf


def test_inplace_shape_errors_match_torch():
    for lib in (torch, minitorch):
        with pytest.raises(RuntimeError, match=r"t_\(\) expects a tensor with <= 2 dimensions"):
            lib.zeros(2, 3, 4).t_()
        with pytest.raises(IndexError):
            lib.zeros(3, 2).transpose_(0, 2)
        with pytest.raises(IndexError):
            lib.zeros(2, 3).squeeze_(5)
        with pytest.raises(RuntimeError):
            lib.zeros(3).tril_()


@pytest.mark.parametrize("join", ["cat", "stack", "hstack", "vstack"])
@pytest.mark.parametrize("other", [np.ones(2), [1.0, 2.0]], ids=["ndarray", "list"])
def test_joining_a_non_tensor_names_its_position_as_torch(join, other):
    """numpy's AttributeError used to leak out of cat/stack (and so out of default_collate)."""
    with pytest.raises(TypeError) as theirs:
        getattr(torch, join)([torch.ones(2), other])
    with raises(TypeError, str(theirs.value), "torch.tensor(...)"):
        getattr(minitorch, join)([minitorch.ones(2), other])
