"""The core's op checks again on device "cuda": values and gradients against torch (on the CPU).

Skipped, with the reason, where cupy sees no GPU. The same primitive code runs on cupy as on
numpy (DESIGN principle 2), so these tests mostly catch a numpy-only call slipping into a primitive.
"""
import numpy as np
import pytest
import torch

import minitorch
from oracle import arrays, assert_close, raises

pytestmark = [pytest.mark.gpu, pytest.mark.skipif(
    not minitorch.cuda.is_available(),
    reason="needs a CUDA GPU and cupy: pip install 'minitorch-course[gpu]' on a machine with an NVIDIA GPU")]


def check_cuda(fn, *arrays_, grad=True):
    """Like oracle.check, with minitorch's tensors on "cuda": fn(minitorch, *cuda_tensors) vs fn(torch, *cpu_tensors)."""
    def make(lib, a, device):
        if not isinstance(a, np.ndarray):
            return a
        return lib.tensor(a.copy(), device=device, requires_grad=grad and a.dtype.kind == "f")
    mine = [make(minitorch, a, "cuda") for a in arrays_]
    theirs = [make(torch, a, "cpu") for a in arrays_]
    out_m, out_t = fn(minitorch, *mine), fn(torch, *theirs)
    out_m = list(out_m) if isinstance(out_m, tuple) else [out_m]
    out_t = list(out_t) if isinstance(out_t, tuple) else [out_t]
    for m, t in zip(out_m, out_t):
        assert m.device.type == "cuda", f"result left the GPU: {m.device}"
        assert_close(m, t)
    pairs = [(m, t) for m, t in zip(out_m, out_t) if t.requires_grad]
    if not pairs:
        return
    seeds = [np.random.default_rng(0).standard_normal(t.shape).astype(t.detach().numpy().dtype) for _, t in pairs]
    torch.autograd.backward([t for _, t in pairs], [torch.tensor(s) for s in seeds])
    minitorch.autograd.backward([m for m, _ in pairs], [minitorch.tensor(s, device="cuda") for s in seeds])
    for m, t in zip(mine, theirs):
        if isinstance(t, torch.Tensor) and t.grad is not None:
            assert m.grad.device.type == "cuda"
            assert_close(m.grad, t.grad, what="gradient")


X, Y = arrays((3, 4), seed=1), arrays((4,), seed=2, low=0.5, high=2)
POSITIVE = arrays((3, 4), seed=3, low=0.1, high=2)

OPS = {
    "add": (lambda t, x, y: x + y, X, Y), "sub": (lambda t, x, y: 2 - x - y, X, Y), "mul": (lambda t, x, y: x * y * 3, X, Y),
    "div": (lambda t, x, y: x / y, X, Y), "pow": (lambda t, x, y: x ** y, POSITIVE, Y),
    "maximum": (lambda t, x, y: t.maximum(x, y), X, Y), "where": (lambda t, x, y: t.where(x > 0, x, y), X, Y),
    "exp": (lambda t, x: x.exp(), X), "log": (lambda t, x: x.log(), POSITIVE), "sqrt": (lambda t, x: x.sqrt(), POSITIVE),
    "tanh": (lambda t, x: x.tanh(), X), "sigmoid": (lambda t, x: x.sigmoid(), X), "relu": (lambda t, x: x.relu(), X),
    "abs": (lambda t, x: x.abs(), X), "sin": (lambda t, x: x.sin(), X), "clamp": (lambda t, x: x.clamp(-0.5, 0.5), X),
    "round": (lambda t, x: x.round(), X), "remainder": (lambda t, x: (x % 0.7).detach(), X),
    "sum": (lambda t, x: x.sum(1), X), "mean": (lambda t, x: x.mean(), X), "prod": (lambda t, x: x.prod(0), X),
    "max_dim": (lambda t, x: x.max(1), X), "amax": (lambda t, x: x.amax((0, 1)), X), "argmax": (lambda t, x: x.argmax(1), X),
    "var": (lambda t, x: x.var(0), X), "std": (lambda t, x: x.std(), X), "logsumexp": (lambda t, x: x.logsumexp(1), X),
    "cumsum": (lambda t, x: x.cumsum(1), X), "cumprod": (lambda t, x: x.cumprod(1), X), "norm": (lambda t, x: x.norm(), X),
    "softmax": (lambda t, x: x.softmax(1), X), "log_softmax": (lambda t, x: x.log_softmax(0), X),
    "all_any": (lambda t, x: ((x > 0).all(), (x > 0).any(1)), X),
    "reshape": (lambda t, x: x.reshape(2, 6).t(), X), "permute": (lambda t, x: x.unsqueeze(0).permute(2, 0, 1), X),
    "expand": (lambda t, x: x[:1].expand(5, 4), X), "cat": (lambda t, x: t.cat([x, x * 2], 1), X),
    "stack_split": (lambda t, x: t.stack(x.split(2, 1)), X), "flip": (lambda t, x: x.flip(0), X),
    "repeat": (lambda t, x: x.repeat(2, 1), X), "slice": (lambda t, x: x[1:, ::2], X),
    "advanced_index": (lambda t, x: x[[0, 2, 2], [1, 1, 3]], X), "mask": (lambda t, x: x[x > 0], X),
    "gather": (lambda t, x: x.gather(1, t.tensor([[0], [3], [1]], device=x.device)), X),
    "scatter_add": (lambda t, x: x.scatter_add(1, t.tensor([[0, 0], [1, 2], [3, 3]], device=x.device), x[:, :2]), X),
    "index_select": (lambda t, x: x.index_select(1, t.tensor([3, 0], device=x.device)), X),
    "masked_fill": (lambda t, x: x.masked_fill(x < 0, 0.5), X),
    "matmul": (lambda t, x, y: x @ y, X, Y), "mm": (lambda t, x: x.mm(x.t()), X),
    "bmm": (lambda t, x: t.bmm(x.reshape(3, 2, 2), x.reshape(3, 2, 2)), X),
    "einsum": (lambda t, x, y: t.einsum("ij,j->i", x, y), X, Y), "outer": (lambda t, x, y: t.outer(y, y), X, Y),
    "setitem": (lambda t, x, y: (lambda z: (z.__setitem__(0, y), z)[1])(x * 1), X, Y),
    "inplace": (lambda t, x: (x * 1).mul_(2).add_(1).exp_(), X), "float64": (lambda t, x: x.double() * 2, X),
    "int_ops": (lambda t, x: ((x * 10).long() // 3, (x > 0).sum()), X),
}


@pytest.mark.parametrize("name", OPS)
def test_op_on_cuda_matches_torch(name):
    fn, *inputs = OPS[name]
    check_cuda(fn, *inputs)


def test_creation_and_moves_on_cuda():
    for make in [lambda: minitorch.zeros(2, 3, device="cuda"), lambda: minitorch.rand(2, device="cuda:0"),
                 lambda: minitorch.arange(5, device=minitorch.device("cuda")), lambda: minitorch.ones(2).cuda(),
                 lambda: minitorch.eye(3, device="cuda"), lambda: minitorch.tensor([1.0], device="cuda")]:
        x = make()
        assert x.is_cuda and x.device == minitorch.device("cuda", 0)
    x = minitorch.arange(6.0).reshape(2, 3).to("cuda")
    assert x.cpu().tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]] and x.tolist() == x.cpu().tolist()
    assert x.sum().item() == 15.0
    assert repr(x) == "tensor([[0., 1., 2.],\n        [3., 4., 5.]], device='cuda:0')"
    minitorch.manual_seed(3)
    a = minitorch.rand(4, device="cuda")
    minitorch.manual_seed(3)
    assert a.cpu().tolist() == minitorch.rand(4).tolist()


def test_gradient_flows_across_devices():
    x = minitorch.ones(3, requires_grad=True)
    y = (x.cuda() * 2).sum()
    y.backward()
    assert x.grad.device.type == "cpu" and x.grad.tolist() == [2.0, 2.0, 2.0]


def test_mixing_devices_names_both():
    with raises(RuntimeError, "same device", "cpu", "cuda:0"):
        minitorch.ones(2) + minitorch.ones(2, device="cuda")
    with raises(TypeError, "Tensor.cpu()"):
        minitorch.ones(2, device="cuda").numpy()


def test_long_chain_and_hessian_vector_product_on_cuda():
    x = minitorch.tensor([0.5, -1.0], device="cuda", requires_grad=True)
    y = x
    for _ in range(1000):
        y = y * 1.0
    (y ** 3).sum().backward(create_graph=True)
    g = x.grad
    hv, = minitorch.autograd.grad((g * minitorch.ones(2, device="cuda")).sum(), x)
    assert_close(hv.cpu(), torch.tensor([3.0, -6.0]))
