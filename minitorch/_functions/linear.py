"""y = x W^T + b, the affine map of ``nn.Linear``: a fused primitive, for speed.

Composed from primitives it would be three graph nodes (transpose, matmul, add) and the bias
gradient would be summed back through broadcasting; fused, it is one node and three products.
With x of shape (..., in) flattened to X (n, in), W (out, in), b (out,) and G = dL/dy (n, out):

    dL/dX = G W        dL/dW = G^T X        dL/db = sum over rows of G

The backward is written with Tensor ops, so it can itself be differentiated.
"""
from .._backend import array_module
from ..autograd.function import Function


class Linear(Function):
    """y = x W^T + b.   dL/dx = G W,  dL/dW = G^T x,  dL/db = G summed over the batch."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        needs = ctx.needs_input_grad
        ctx.save_for_backward(weight if needs and needs[0] else None, x if needs and needs[1] else None)
        ctx.input_shape = x.array.shape
        rows = x.array.reshape(-1, x.array.shape[-1])
        y = array_module(rows).matmul(rows, weight.array.T)
        if bias is not None:
            y += bias.array
        return y.reshape(x.array.shape[:-1] + (weight.array.shape[0],))

    @staticmethod
    def backward(ctx, grad):
        weight, x = ctx.saved_tensors
        batched = len(ctx.input_shape) != 2  # (..., in) inputs are handled as a matrix of rows
        rows = grad.reshape(-1, grad.shape[-1]) if batched else grad
        gx = gw = None
        if ctx.needs_input_grad[0]:
            gx = (rows @ weight).reshape(ctx.input_shape) if batched else rows @ weight
        if ctx.needs_input_grad[1]:
            gw = rows.t() @ (x.reshape(-1, x.shape[-1]) if batched else x)
        gb = rows.sum(0) if len(ctx.needs_input_grad) > 2 and ctx.needs_input_grad[2] else None
        return gx, gw, gb
