"""The engine hands a freshly computed gradient to leaf.grad without copying it, but only when
nothing else can see that memory (torch's AccumulateGrad does the same)."""
import weakref

import minitorch as mt


class Double(mt.autograd.Function):
    """y = 2x, whose backward remembers (weakly, or strongly when asked) the gradient it returns."""
    keep = False

    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, grad):
        out = grad * 2
        Double.ref = weakref.ref(out.array)
        Double.kept = out if Double.keep else None
        return out


def test_a_fresh_gradient_becomes_the_leafs_grad_without_a_copy():
    Double.keep = False
    x = mt.randn(3, requires_grad=True)
    Double.apply(x).sum().backward()
    assert Double.ref() is x.grad.array
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_a_gradient_that_backward_keeps_is_copied():
    Double.keep = True
    x = mt.randn(3, requires_grad=True)
    Double.apply(x).sum().backward()
    Double.kept.array[:] = 100.0  # changing the kept tensor must not change x.grad
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
    Double.keep = False


def test_the_users_seed_gradient_is_never_taken_over():
    seed = mt.ones(3)
    x = mt.randn(3, requires_grad=True)
    x.backward(seed)
    seed += 1
    assert x.grad.tolist() == [1.0, 1.0, 1.0]
    x.backward(seed)
    assert seed.tolist() == [2.0, 2.0, 2.0] and x.grad.tolist() == [3.0, 3.0, 3.0]


def test_one_gradient_sent_to_two_leaves_gives_them_separate_memory():
    a, b = mt.randn(3, requires_grad=True), mt.randn(3, requires_grad=True)
    (a + b).sum().backward()
    assert a.grad.array is not b.grad.array
    (a * 1).sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 2.0] and b.grad.tolist() == [1.0, 1.0, 1.0]
