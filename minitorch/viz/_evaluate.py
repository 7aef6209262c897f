"""Evaluate a 2-D function and its gradient with minitorch autograd, with learner-friendly checks.

``value_and_grad(f, points)`` returns f and grad f at each point of an (N, 2) numpy array. It first
calls ``f`` on one point (a tensor of shape (2,)) and checks that the result is a differentiable
scalar tensor, so a mistake is named plainly ("f returned a float, not a Tensor"). Then it tries
the whole batch at once (``f`` on an (N, 2) tensor, the fast path the built-in surfaces support);
a function written for a single point only is evaluated point by point instead.
"""
import numpy as np

import minitorch


def grid(xlim, ylim, n):
    """An n x n grid over the rectangle: X, Y (each n x n) and the points as an (n*n, 2) array."""
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    return X, Y, np.stack([X.ravel(), Y.ravel()], axis=1)


def value_and_grad(f, points, need_grad=True):
    """f and its gradient (by autograd) at each row of ``points``: arrays of shape (N,) and (N, 2).
    With ``need_grad=False`` the gradient is not computed (None)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    _check_point(f, points[0])
    batch = minitorch.tensor(points, dtype=minitorch.float64, requires_grad=True)
    try:
        values = f(batch)
        batched = isinstance(values, minitorch.Tensor) and tuple(values.shape) == (len(points),)
    except Exception:  # written for one point at a time: fall back to a loop below
        batched = False
    if not batched:
        return _point_by_point(f, points, need_grad)
    if not need_grad:
        return values.detach().numpy().copy(), None
    gradient, = minitorch.autograd.grad(values.sum(), batch)
    return values.detach().numpy().copy(), gradient.numpy().copy()


def _check_point(f, point):
    """Call f on one (2,) point; raise a readable error if the result cannot be differentiated."""
    p = minitorch.tensor(point, dtype=minitorch.float64, requires_grad=True)
    try:
        value = f(p)
    except Exception as error:
        raise ValueError(f"f could not be evaluated at the 2-D point {point.tolist()} (a tensor of shape (2,)): "
                         f"{type(error).__name__}: {error}. These plots need a function of two variables, "
                         "f(p) with x = p[0] and y = p[1].") from error
    if not isinstance(value, minitorch.Tensor):
        raise TypeError(f"f returned a {type(value).__name__}, not a minitorch Tensor: compute it with minitorch "
                        "ops (no .item(), math or numpy) so that autograd can differentiate it")
    if value.numel() != 1:
        raise ValueError(f"f must map a point of shape (2,) to a scalar, but it returned shape {list(value.shape)}")
    if not value.requires_grad:
        raise ValueError("f's result does not depend on its input through minitorch ops, so autograd cannot "
                         "differentiate it (was it computed with numpy, .item() or under no_grad?)")


def _point_by_point(f, points, need_grad):
    values, gradients = np.empty(len(points)), np.zeros_like(points) if need_grad else None
    for i, point in enumerate(points):
        p = minitorch.tensor(point, dtype=minitorch.float64, requires_grad=need_grad)
        value = f(p).reshape(())
        values[i] = value.item()
        if need_grad:
            gradient, = minitorch.autograd.grad(value, p, allow_unused=True)
            gradients[i] = 0 if gradient is None else gradient.numpy()
    return values, gradients
