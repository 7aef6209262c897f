"""Autograd against torch: backward options, grad(), accumulation, grad modes, hooks, higher order,
custom Functions, gradcheck, safety rules, long chains and freeing the graph."""
import gc
import importlib
import sys
import weakref

import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, raises


def both(fn):
    """Run fn(lib) for minitorch and torch and return the two results."""
    return fn(minitorch), fn(torch)


def leaf(lib, array):
    return lib.tensor(array, requires_grad=True)


A = arrays((3,), seed=1)


def test_backward_with_gradient_argument_and_nonscalar_outputs():
    def run(lib):
        x = leaf(lib, A)
        y = x * x
        y.backward(gradient=lib.tensor([1.0, 0.5, -1.0], dtype=lib.float64))
        return x.grad
    assert_close(*both(run))


def test_implicit_gradient_only_for_scalars():
    x = minitorch.ones(3, requires_grad=True)
    with raises(RuntimeError, "grad can be implicitly created only for scalar outputs"):
        (x * 2).backward()
    with raises(RuntimeError, "Mismatch in shape", "[2]", "[3]"):
        (x * 2).backward(minitorch.ones(2))


def test_the_implicit_gradient_is_one_even_when_the_output_is_infinite():
    """backward() seeds a scalar with 1 as torch does; 0 * inf would be nan and poison every gradient."""
    x, t = minitorch.tensor([1.0, 2.0], requires_grad=True), torch.tensor([1.0, 2.0], requires_grad=True)
    (x + float("inf")).sum().backward()
    (t + float("inf")).sum().backward()
    assert x.grad.tolist() == t.grad.tolist() == [1.0, 1.0]


def test_gradients_accumulate_until_zeroed():
    def run(lib):
        x = leaf(lib, A)
        (x * 2).sum().backward()
        (x * x).sum().backward()
        first = x.grad.clone()
        x.grad.zero_()
        (x * 3).sum().backward()
        return first, x.grad
    (m1, m2), (t1, t2) = both(run)
    assert_close(m1, t1)
    assert_close(m2, t2)


def test_grad_set_to_none_and_reassigned():
    x = minitorch.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    x.grad = None
    (x * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_retain_graph_allows_a_second_backward_and_freed_graph_raises():
    def run(lib):
        x = leaf(lib, A)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    assert_close(*both(run))
    x = minitorch.tensor(A, requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with raises(RuntimeError, "Trying to backward through the graph a second time", "retain_graph=True"):
        y.backward()


def test_autograd_grad_and_allow_unused():
    def run(lib):
        x, z = leaf(lib, A), leaf(lib, A * 2)
        y = (x ** 3).sum()
        gx, = lib.autograd.grad(y, x, retain_graph=True)
        gx2, gz = lib.autograd.grad(y, [x, z], allow_unused=True)
        return gx, gx2, gz, x.grad
    (m, m2, mz, mgrad), (t, t2, tz, tgrad) = both(run)
    assert_close(m, t)
    assert_close(m2, t2)
    assert mz is None and tz is None and mgrad is None and tgrad is None
    x, z = minitorch.tensor(A, requires_grad=True), minitorch.tensor(A, requires_grad=True)
    with raises(RuntimeError, "appears to not have been used in the graph", "allow_unused=True"):
        minitorch.autograd.grad((x * 2).sum(), [x, z])
    gz, = minitorch.autograd.grad((x * 2).sum(), [z], allow_unused=True, materialize_grads=True)
    assert gz.tolist() == [0.0, 0.0, 0.0]


def test_grad_with_grad_outputs_and_several_outputs():
    def run(lib):
        x = leaf(lib, A)
        y1, y2 = x * 2, x.sin()
        return lib.autograd.grad([y1, y2], x, grad_outputs=[lib.ones_like(y1), lib.full_like(y2, 0.5)])[0]
    assert_close(*both(run))


def test_backward_inputs_argument():
    def run(lib):
        x, z = leaf(lib, A), leaf(lib, A)
        (x * z).sum().backward(inputs=[x])
        return x.grad, z.grad
    (mx, mz), (tx, tz) = both(run)
    assert_close(mx, tx)
    assert mz is None and tz is None


def test_same_tensor_used_twice_and_diamond_graph():
    def run(lib):
        x = leaf(lib, A)
        a = x * 2
        b = a.exp() + a.sin() * a
        (b * x).sum().backward()
        return x.grad
    assert_close(*both(run))


def test_non_leaf_grad_is_none_unless_retained():
    def run(lib):
        x = leaf(lib, A)
        y = x * 2
        z = y * y
        z.retain_grad()
        z.sum().backward()
        with pytest.warns(UserWarning, match="not a leaf Tensor is being accessed"):
            y_grad = y.grad
        return y_grad, z.grad, y.is_leaf, z.retains_grad, y.requires_grad
    (my, mz, ml, mr, mq), (ty, tz, tl, tr, tq) = both(run)
    assert my is None and ty is None
    assert_close(mz, tz)
    assert (ml, mr, mq) == (tl, tr, tq)


def test_no_grad_enable_grad_set_grad_enabled():
    x = minitorch.ones(2, requires_grad=True)
    with minitorch.no_grad():
        y = x * 2
        with minitorch.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad
    assert minitorch.is_grad_enabled()

    @minitorch.no_grad()
    def f(t):
        return t * 2
    assert not f(x).requires_grad

    @minitorch.no_grad
    def g(t):
        return t * 2
    assert not g(x).requires_grad

    @minitorch.enable_grad
    def h(t):
        return t * 2
    with minitorch.no_grad():
        assert h(x).requires_grad

    with minitorch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad
    minitorch.set_grad_enabled(False)
    try:
        assert not minitorch.is_grad_enabled()
    finally:
        minitorch.set_grad_enabled(True)
    assert minitorch.is_grad_enabled()


def test_detach_and_requires_grad_():
    x = minitorch.ones(2, requires_grad=True)
    d = (x * 2).detach()
    assert not d.requires_grad and d.grad_fn is None
    d2 = x.detach()
    d2[0] = 5  # shares memory with x
    assert x[0].item() == 5
    w = minitorch.ones(2)
    assert w.requires_grad_() is w and w.requires_grad
    with raises(RuntimeError, "only Tensors of floating point and complex dtype can require gradients"):
        minitorch.tensor([1, 2]).requires_grad_()
    with raises(RuntimeError, "you can only change requires_grad flags of leaf variables"):
        (x * 2).requires_grad_(False)
    with raises(RuntimeError, "does not require grad and does not have a grad_fn"):
        minitorch.ones(2).sum().backward()


def test_requires_grad_attribute_has_the_checks_of_requires_grad_():
    x = minitorch.ones(2, requires_grad=True)
    y = x * 2
    with raises(RuntimeError, "you can only change requires_grad flags of leaf variables", "detach()"):
        y.requires_grad = False
    assert y.requires_grad and y.grad_fn is not None
    y.requires_grad = True  # a no-op on a tensor that already requires grad, as in torch
    with raises(RuntimeError, "only Tensors of floating point and complex dtype can require gradients",
                "torch.int64", "x.float()"):
        minitorch.tensor([1, 2]).requires_grad = True
    w = minitorch.zeros(3)
    w.requires_grad = True
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0, 3.0]
    w.requires_grad = False  # a leaf may turn it off again
    assert not (w * 3).requires_grad


def test_complex_tensors_are_refused_by_autograd_not_differentiated_wrongly():
    """minitorch has no complex autograd (torch's follows Wirtinger calculus): a complex leaf cannot
    require grad, and a backward through a complex intermediate raises instead of giving wrong values."""
    with raises(NotImplementedError, "does not differentiate complex tensors", "torch.complex64"):
        minitorch.tensor([1 + 2j, 3 - 1j], requires_grad=True)
    with raises(NotImplementedError, "does not differentiate complex tensors"):
        minitorch.zeros(2, dtype=minitorch.complex128).requires_grad_()
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    z = x * (1 + 1j)  # the forward values are computed, as in torch
    np.testing.assert_allclose(z.detach().numpy(), [1 + 1j, 2 + 2j])
    with raises(NotImplementedError, "does not differentiate complex tensors", "MulBackward0", "no_grad"):
        z.abs().sum().backward()
    with raises(NotImplementedError, "does not differentiate complex tensors"):
        (x.to(minitorch.complex64) * 2).abs().sum().backward()
    assert x.grad is None
    (x * 2).sum().backward()  # real ops on the same leaf still differentiate
    assert x.grad.tolist() == [2.0, 2.0]


def test_hooks_on_leaf_and_non_leaf_and_remove():
    def run(lib):
        seen = []
        x = leaf(lib, A)
        h1 = x.register_hook(lambda g: seen.append(("x", g.clone())))
        y = x * 3
        y.register_hook(lambda g: g * 10)
        h2 = y.register_hook(lambda g: seen.append(("y", g.clone())))
        y.sum().backward(retain_graph=True)
        h1.remove()
        h2.remove()
        y.sum().backward()
        return [name for name, _ in seen], [g for _, g in seen], x.grad
    (mn, mg, mx), (tn, tg, tx) = both(run)
    assert mn == tn
    for a, b in zip(mg, tg):
        assert_close(a, b)
    assert_close(mx, tx)
    with raises(RuntimeError, "doesn't require gradient"):
        minitorch.ones(2).register_hook(lambda g: g)


def test_hessian_vector_product_matches_torch():
    v = arrays((3,), seed=9)

    def run(lib):
        x = leaf(lib, A)
        y = (x.sin() * x.exp()).sum() + (x ** 3).prod()
        g, = lib.autograd.grad(y, x, create_graph=True)
        hv, = lib.autograd.grad((g * lib.tensor(v)).sum(), x)
        return g, hv
    (mg, mh), (tg, th) = both(run)
    assert_close(mg, tg)
    assert_close(mh, th)


def test_create_graph_backward_and_third_derivative():
    def run(lib):
        x = leaf(lib, np.array(0.7))
        y = x ** 4 + x.tanh()
        y.backward(create_graph=True)
        g = x.grad
        x.grad = None
        g.backward(create_graph=True)
        g2 = x.grad
        x.grad = None
        g2.backward()
        return g, g2, x.grad
    for a, b in zip(*both(run)):
        assert_close(a, b)


def test_functional_hvp_jacobian_hessian():
    f = lambda x: (x ** 3).sum() + x.prod()  # noqa: E731
    x = minitorch.tensor(A)
    _, hv = minitorch.autograd.functional.hvp(f, x, minitorch.ones(3, dtype=minitorch.float64))
    _, thv = torch.autograd.functional.hvp(f, torch.tensor(A), torch.ones(3, dtype=torch.float64))
    assert_close(hv, thv)
    assert_close(minitorch.autograd.functional.hessian(f, x), torch.autograd.functional.hessian(f, torch.tensor(A)))
    g = lambda x: x.sin() * x.sum()  # noqa: E731
    assert_close(minitorch.autograd.functional.jacobian(g, x), torch.autograd.functional.jacobian(g, torch.tensor(A)))


# ----------------------------------------------------------------------------- custom Function, as torch's docs
def make_functions(lib):
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            result, = ctx.saved_tensors
            return grad_output * result

    class LinearFunction(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    class MulConstant(lib.autograd.Function):
        @staticmethod
        def forward(ctx, tensor, constant):
            ctx.constant = constant
            return tensor * constant

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.constant, None

    return Exp, LinearFunction, MulConstant


def test_custom_functions_from_torch_docs():
    x, w, b = arrays((4, 3), seed=1), arrays((2, 3), seed=2), arrays((2,), seed=3)

    def run(lib):
        Exp, Linear, MulConstant = make_functions(lib)
        xs, ws, bs = leaf(lib, x), leaf(lib, w), leaf(lib, b)
        y = Linear.apply(xs, ws, bs)
        z = MulConstant.apply(Exp.apply(y), 0.5)
        z.sum().backward()
        return y, z, xs.grad, ws.grad, bs.grad, type(z.grad_fn).__name__ if lib is torch else z.grad_fn.name()
    mine, theirs = both(run)
    for a, b_ in zip(mine[:5], theirs[:5]):
        assert_close(a, b_)
    assert mine[5] == "MulConstantBackward"
    Exp, Linear, _ = make_functions(minitorch)
    assert minitorch.autograd.gradcheck(Linear.apply, (minitorch.tensor(x, requires_grad=True),
                                                       minitorch.tensor(w, requires_grad=True)))
    assert minitorch.autograd.gradcheck(Exp.apply, (minitorch.tensor(b, requires_grad=True),), eps=1e-6, atol=1e-4)


def test_needs_input_grad_in_custom_function():
    seen = {}

    class Probe(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            seen["forward"] = ctx.needs_input_grad
            return a * b

        @staticmethod
        def backward(ctx, g):
            seen["backward"] = ctx.needs_input_grad
            return g, None

    a, b = minitorch.ones(2, requires_grad=True), minitorch.ones(2)
    Probe.apply(a, b).sum().backward()
    assert seen["forward"] == (True, False) and seen["backward"] == (True, False)


def test_custom_function_wrong_number_of_gradients():
    class Bad(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    with raises(RuntimeError, "incorrect number of gradients", "expected 2, got 1"):
        Bad.apply(minitorch.ones(2, requires_grad=True), minitorch.ones(2, requires_grad=True)).sum().backward()


def test_gradcheck_api():
    x = minitorch.tensor(A, requires_grad=True)
    assert minitorch.autograd.gradcheck(lambda t: (t * t).sum(), (x,))
    assert minitorch.autograd.gradgradcheck(lambda t: t.sin() * t, (x,))

    class WrongGrad(minitorch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * a

        @staticmethod
        def backward(ctx, g):
            return g

    with raises(RuntimeError, "Jacobian mismatch"):
        minitorch.autograd.gradcheck(WrongGrad.apply, (x,))
    assert minitorch.autograd.gradcheck(WrongGrad.apply, (x,), raise_exception=False) is False
    with pytest.warns(UserWarning, match="double precision"):
        minitorch.autograd.gradcheck(lambda t: t * 2, (minitorch.ones(2, requires_grad=True),), eps=1e-2, atol=1e-2)


def test_gradgradcheck_catches_a_wrong_second_derivative():
    """The first derivative of WrongSecond is right (2 a g) but its own gradient is not (it treats a
    as a constant), so gradcheck passes and gradgradcheck must fail; torch's does the same."""
    for lib in (minitorch, torch):
        class WrongSecond(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a)
                return a * a

            @staticmethod
            def backward(ctx, g):
                a, = ctx.saved_tensors
                return 2 * a.detach() * g

        x = lib.tensor(A, requires_grad=True)
        assert lib.autograd.gradcheck(WrongSecond.apply, (x,))
        assert lib.autograd.gradgradcheck(WrongSecond.apply, (x,), raise_exception=False) is False
        with pytest.raises(RuntimeError, match="Jacobian mismatch"):
            lib.autograd.gradgradcheck(WrongSecond.apply, [x])


# ----------------------------------------------------------------------------- safety rules
def test_in_place_change_of_a_saved_tensor_raises_at_backward():
    for lib in (minitorch, torch):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        z = y * y  # saves y
        y.add_(1)
        with pytest.raises(RuntimeError, match="modified by an inplace operation"):
            z.sum().backward()
    x = minitorch.ones(3, requires_grad=True)
    y = x.exp()
    y.mul_(2)  # exp saved its output
    with raises(RuntimeError, "is at version 1; expected version 0"):
        y.sum().backward()


def test_in_place_on_a_leaf_that_requires_grad_raises():
    x = minitorch.ones(3, requires_grad=True)
    with raises(RuntimeError, "a leaf Variable that requires grad is being used in an in-place operation"):
        x.add_(1)
    with raises(RuntimeError, "leaf Variable"):
        x[0] = 2.0
    with raises(RuntimeError, "view of a leaf Variable"):
        x[1:].mul_(2)
    with minitorch.no_grad():
        x.add_(1)
    assert x.tolist() == [2.0, 2.0, 2.0] and x.is_leaf


def test_long_chain_backpropagates_without_recursion_error():
    x = minitorch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    limit = sys.getrecursionlimit()
    y.backward()
    assert x.grad.item() == 1.0 and sys.getrecursionlimit() == limit


def test_graph_is_freed_after_backward():
    x = minitorch.ones(1000, requires_grad=True)
    hidden = x * 2
    saved = weakref.ref(hidden)
    out = (hidden.sin() * hidden).sum()
    del hidden
    gc.collect()
    assert saved() is not None  # kept alive by the graph until backward
    out.backward()
    gc.collect()
    assert saved() is None


def test_memory_does_not_grow_over_a_training_loop():
    w = minitorch.randn(50, 50, requires_grad=True)
    data = minitorch.randn(8, 50)

    def step():
        loss = ((data @ w).tanh() ** 2).mean()
        loss.backward()
        with minitorch.no_grad():
            w.sub_(0.01 * w.grad)
        w.grad = None

    for _ in range(5):
        step()
    gc.collect()
    before = len(gc.get_objects())
    for _ in range(50):
        step()
    gc.collect()
    assert len(gc.get_objects()) - before < 50


def test_grad_fn_names_and_next_functions():
    x = minitorch.ones(2, requires_grad=True)
    y = (x * 2).exp()
    assert y.grad_fn.name() == "ExpBackward0"
    mul_node, _ = y.grad_fn.next_functions[0]
    assert mul_node.name() == "MulBackward0"
    acc, _ = mul_node.next_functions[0]
    assert acc.variable is x


@pytest.mark.parametrize("make", [
    lambda t, x: x * 2, lambda t, x: x + 1, lambda t, x: x.sum(), lambda t, x: x.mean(),
    lambda t, x: x.exp(), lambda t, x: x.view(6), lambda t, x: x.reshape(3, 2),
    lambda t, x: x[[0, 1]], lambda t, x: x.clone(), lambda t, x: x.permute(1, 0),
    lambda t, x: x.sigmoid(), lambda t, x: x - 1, lambda t, x: x / 2,
    # one primitive, several torch names (a subclass each) or torch's overload number
    lambda t, x: x @ x.t(), lambda t, x: t.mm(x, x.t()), lambda t, x: t.bmm(x.expand(4, 2, 3), x.t().expand(4, 3, 2)),
    lambda t, x: x.unsqueeze(0).squeeze(), lambda t, x: x.unsqueeze(0).squeeze(0), lambda t, x: x.squeeze((0, 1)),
    lambda t, x: x.unsqueeze(-1), lambda t, x: x.pow(x), lambda t, x: 2 ** x, lambda t, x: x ** 2,
    lambda t, x: x.max(), lambda t, x: x.min(), lambda t, x: x.max(1)[0], lambda t, x: x.min(-1, keepdim=True).values,
    lambda t, x: x.amax(1), lambda t, x: x.amin(), lambda t, x: x.clamp(0, 1), lambda t, x: x.clamp(min=0),
    lambda t, x: x.clamp(t.zeros(3, dtype=x.dtype)), lambda t, x: x[0], lambda t, x: x[:, 1], lambda t, x: x[1, 2],
    lambda t, x: x[..., -1], lambda t, x: x[:, 1:], lambda t, x: x.select(1, 0), lambda t, x: x.norm(),
    lambda t, x: t.linalg.vector_norm(x), lambda t, x: x.norm(p=1, dim=1), lambda t, x: t.stack([x, x], -1),
    lambda t, x: t.cat([x, x]), lambda t, x: x.double(), lambda t, x: x.to(t.float64), lambda t, x: x.sum(1),
    lambda t, x: x.sum(1, keepdim=True), lambda t, x: x.sum(dim=()), lambda t, x: x.sum(-1, dtype=t.float64),
    lambda t, x: x.mean(1), lambda t, x: x.prod(), lambda t, x: x.prod(1), lambda t, x: x.transpose(0, 1),
    lambda t, x: x.swapaxes(0, 1), lambda t, x: x.expand(4, 2, 3).mT, lambda t, x: x.t(), lambda t, x: x[0].t(),
    lambda t, x: x.T, lambda t, x: t.nn.functional.nll_loss(x, t.tensor([0, 2])),
    lambda t, x: t.nn.functional.nll_loss(x.reshape(1, 2, 3, 1), t.zeros(1, 3, 1, dtype=t.int64)),
    lambda t, x: x.logsumexp(1), lambda t, x: x.tril(), lambda t, x: x.triu(1), lambda t, x: x.sign(),
    lambda t, x: x.gather(1, t.tensor([[0], [2]])), lambda t, x: x.scatter(1, t.tensor([[0], [2]]), x),
    lambda t, x: x.scatter(1, t.tensor([[0], [2]]), 1.0), lambda t, x: x.scatter_add(1, t.tensor([[0], [2]]), x),
    lambda t, x: x.masked_fill(x > 0, 0), lambda t, x: x.masked_fill(x > 0, t.tensor(1.0)),
    lambda t, x: t.nn.functional.embedding(t.tensor([[1, 0]]), x), lambda t, x: x.clamp_min(0),
    lambda t, x: x.clamp_min(t.zeros(3)), lambda t, x: x.clamp_max(0), lambda t, x: t.clamp_max(x, t.zeros(3)),
    lambda t, x: t.nn.functional.hardtanh(x), lambda t, x: t.nn.functional.relu6(x),
    lambda t, x: t.nn.functional.linear(x, t.ones(4, 3), t.ones(4)),
    lambda t, x: t.nn.functional.linear(x, t.ones(4, 3))])
def test_graph_nodes_are_named_as_torch_names_them(make):
    mine = make(minitorch, minitorch.ones(2, 3, requires_grad=True)).grad_fn.name()
    assert mine == make(torch, torch.ones(2, 3, requires_grad=True)).grad_fn.name()


def test_retain_grad_keeps_the_gradient_after_the_other_hooks_as_torch():
    """torch runs the retain_grad hook last, whatever the order of registration."""
    def grads(lib, retain_first):
        x = lib.ones(2, requires_grad=True)
        y = x * 2
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 100)
        if not retain_first:
            y.retain_grad()
        (y * lib.tensor([1.0, 2.0])).sum().backward()
        return y.grad.tolist(), x.grad.tolist()
    for retain_first in (True, False):
        assert grads(minitorch, retain_first) == grads(torch, retain_first) == ([100.0, 200.0], [200.0, 400.0])


def test_mean_of_an_empty_tensor_is_nan_without_numpy_warnings():
    import warnings
    with warnings.catch_warnings(record=True) as caught:  # (the filters in force: minitorch's own silence the 0 / 0)
        assert minitorch.zeros(0).mean().isnan().item() and minitorch.zeros(2, 0).mean(1).isnan().all().item()
    assert not caught, [str(w.message) for w in caught]  # numpy's "Mean of empty slice" came from numpy itself


def _modes(lib):
    """inference_mode as a context manager (on and off) and as a decorator, with and without ()."""
    x = lib.ones(2, requires_grad=True)
    seen = []
    with lib.inference_mode():
        seen.append(((x * 2).requires_grad, lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    with lib.inference_mode(False):
        seen.append(((x * 2).requires_grad, lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    seen.append(lib.inference_mode()(lambda a: (a * 2).requires_grad)(x))
    seen.append(lib.inference_mode(lambda a: (a * 2).requires_grad)(x))
    seen.append((lib.is_grad_enabled(), lib.is_inference_mode_enabled()))
    return seen


def test_inference_mode_as_torch():
    assert _modes(minitorch) == _modes(torch)


@pytest.mark.filterwarnings("ignore:Anomaly Detection has been enabled", "ignore:Error detected in SqrtBackward0")
@pytest.mark.parametrize("switch", ["detect_anomaly", "set_detect_anomaly"])
def test_anomaly_detection_names_the_node_whose_backward_made_a_nan(switch):
    for lib in (torch, minitorch):
        x = lib.tensor([-1.0, 4.0], requires_grad=True)
        context = lib.autograd.detect_anomaly() if switch == "detect_anomaly" else lib.autograd.set_detect_anomaly(True)
        with raises(RuntimeError, "Function 'SqrtBackward0' returned nan values in its 0th output."), context:
            (x.sqrt() * 0 + x).sum().backward()
        assert not lib.is_anomaly_enabled()
    y = minitorch.tensor([-1.0, 4.0], requires_grad=True)
    y.sqrt().sum().backward()  # off again: the nan just flows
    assert y.grad.isnan().tolist() == [True, False]


def test_once_differentiable_backward_refuses_to_be_differentiated_again():
    def run(lib):
        once_differentiable = importlib.import_module(f"{lib.__name__}.autograd.function").once_differentiable

        class Square(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @once_differentiable
            def backward(ctx, grad):
                x, = ctx.saved_tensors
                return grad * 2 * x
        x = lib.tensor([1.0, 3.0], requires_grad=True)
        g, = lib.autograd.grad((Square.apply(x) ** 2).sum(), x, create_graph=True)
        with raises(RuntimeError, "trying to differentiate twice a function that was marked with @once_differentiable"):
            g.sum().backward()
        return g.tolist()
    assert run(minitorch) == run(torch) == [4.0, 108.0]
