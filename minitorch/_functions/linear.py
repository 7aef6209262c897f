"""y = x W^T + b, the affine map of ``nn.Linear``: a fused primitive, for speed.

Composed from primitives it would be three graph nodes (transpose, matmul, add) and the bias
gradient would be summed back through broadcasting; fused, it is one node and three products.
With x of shape (..., in) flattened to X (n, in), W (out, in), b (out,) and G = dL/dy (n, out):

    dL/dX = G W        dL/dW = G^T X        dL/db = sum over rows of G

Those three products are themselves one fused Function, ``LinearGradients``, so a training step's
backward pays for one operation per layer rather than four; its own backward (below) keeps the
gradient differentiable for ``create_graph=True``.

For a matrix input the node carries the name of the op torch uses, AddmmBackward0 (with a bias)
or MmBackward0 (without); other inputs keep LinearBackward0.
"""
from ..autograd.function import Function


class Linear(Function):
    """y = x W^T + b.   dL/dx = G W,  dL/dW = G^T x,  dL/db = G summed over the batch."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(weight if needs and needs[0] else None, x if needs and needs[1] else None)
        ctx.input_shape = x.array.shape
        rows = x.array if x.array.ndim == 2 else x.array.reshape(-1, x.array.shape[-1])
        y = rows @ weight.array.T
        if bias is not None:
            y += bias.array
        return y if x.array.ndim == 2 else y.reshape(x.array.shape[:-1] + (weight.array.shape[0],))

    @staticmethod
    def backward(ctx, grad):
        weight, x = ctx.saved_tensors
        if len(ctx.input_shape) == 2:
            return LinearGradients.apply(grad, weight, x, ctx.needs_input_grad)
        rows = grad.reshape(-1, grad.shape[-1])  # (..., in) inputs are handled as a matrix of rows
        x_rows = None if x is None else x.reshape(-1, x.shape[-1])
        gx, gw, gb = LinearGradients.apply(rows, weight, x_rows, ctx.needs_input_grad)
        return None if gx is None else gx.reshape(ctx.input_shape), gw, gb


class Addmm(Linear):
    """Linear of a matrix (2-D input) with a bias: torch computes it as addmm(b, x, W^T), and names
    its node AddmmBackward0. The math is Linear's."""


class LinearMm(Linear):
    """Linear of a matrix without a bias: torch's x @ W^T, whose node is MmBackward0. The math is Linear's."""
    torch_op = "Mm"


def linear_node(x, bias):
    """The Function for x W^T (+ b): one node, named as torch names the op it uses for such an input."""
    if x.ndim != 2:
        return Linear
    return Addmm if bias is not None else LinearMm


class LinearGradients(Function):
    """(dX, dW, db) = (G W, G^T X, sum_rows G), each computed only where ``needs`` says so.

    Differentiating again (``create_graph=True``): with A_X, A_W, A_b the gradients arriving for
    dX, dW and db, the three products are linear in G and in W, X, so

        dL/dG = A_X W^T + X A_W^T + A_b (added to every row)
        dL/dW = G^T A_X          dL/dX = G A_W
    """

    @staticmethod
    def forward(ctx, grad, weight, x, needs):
        if ctx.needs_input_grad:  # recorded only under create_graph=True
            ctx.save_for_backward(grad, weight, x)
            ctx.set_materialize_grads(False)  # an output nobody used (or never computed) brings None, not zeros
        g = grad.array
        gx = g @ weight.array if needs[0] else None
        gw = g.T @ x.array if needs[1] else None
        gb = g.sum(0) if len(needs) > 2 and needs[2] else None
        return gx, gw, gb

    @staticmethod
    def backward(ctx, grad_gx, grad_gw, grad_gb):
        grad, weight, x = ctx.saved_tensors
        d_grad = d_weight = d_x = None
        terms = []
        if grad_gx is not None:
            terms.append(grad_gx @ weight.t())
            d_weight = grad.t() @ grad_gx if ctx.needs_input_grad[1] else None
        if grad_gw is not None:
            terms.append(x @ grad_gw.t())
            d_x = grad @ grad_gw if ctx.needs_input_grad[2] else None
        if grad_gb is not None:
            terms.append(grad_gb.expand_as(grad))
        if terms and ctx.needs_input_grad[0]:
            d_grad = sum(terms[1:], terms[0])
        return d_grad, d_weight, d_x, None
