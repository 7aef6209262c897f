"""torch.autograd.functional: Jacobians, Hessians and their products, from the engine's grad().

A Hessian-vector product H v is the gradient of (grad f . v): two backward passes, the first
with create_graph=True so that it can itself be differentiated. No Hessian is ever formed.
"""
from .._tensor import Tensor
from .engine import grad


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _prepared(inputs):
    return tuple(x.detach().requires_grad_(True) for x in _as_tuple(inputs))


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): a vector-Jacobian product, one backward pass."""
    xs = _prepared(inputs)
    out = func(*xs)
    grads = grad(out, xs, v, create_graph=create_graph, allow_unused=True, materialize_grads=True)
    return out.detach() if not create_graph else out, grads if len(xs) > 1 else grads[0]


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v) by the double-vjp trick: J v = d/du (u^T J v)... here via the Jacobian rows."""
    xs = _prepared(inputs)
    vs = _as_tuple(v) if v is not None else tuple(x * 0 + 1 for x in xs)
    out = func(*xs)
    u = (out * 0).detach().requires_grad_(True)
    g = grad(out, xs, u, create_graph=True, allow_unused=True, materialize_grads=True)
    inner = sum((gi * vi).sum() for gi, vi in zip(g, vs))
    result, = grad(inner, u, create_graph=create_graph)
    return out.detach(), result


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """The full Jacobian d func / d inputs, one backward per output element."""
    xs = _prepared(inputs)
    out = func(*xs)
    flat = out.reshape(-1)
    rows = [grad(flat[i], xs, retain_graph=True, create_graph=create_graph, allow_unused=True,
                 materialize_grads=True) for i in range(flat.shape[0])]
    from .._functions.shape import stack
    jac = tuple(stack([r[k] for r in rows]).reshape(tuple(out.shape) + tuple(x.shape)) for k, x in enumerate(xs))
    return jac if not isinstance(inputs, Tensor) else jac[0]


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The matrix of second derivatives of a scalar function."""
    single = isinstance(inputs, Tensor)

    def gradient(*xs):
        out = func(*xs)
        g = grad(out, xs, create_graph=True, allow_unused=True, materialize_grads=True)
        return g[0] if single else g

    if single:
        return jacobian(gradient, inputs, create_graph=create_graph)
    raise NotImplementedError("hessian of a function of several tensors: call it on one concatenated tensor")


def hvp(func, inputs, v, create_graph=False, strict=False):
    """(func(inputs), H v) with two backward passes and no Hessian."""
    xs = _prepared(inputs)
    vs = _as_tuple(v)
    out = func(*xs)
    g = grad(out, xs, create_graph=True, allow_unused=True, materialize_grads=True)
    dot = sum((gi * vi).sum() for gi, vi in zip(g, vs))
    hv = grad(dot, xs, create_graph=create_graph, allow_unused=True, materialize_grads=True)
    return out.detach(), hv if len(xs) > 1 else hv[0]


vhp = hvp
