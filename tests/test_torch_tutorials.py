"""The acceptance yardstick: PyTorch's own beginner tutorials run unchanged on minitorch.

Each tutorial's code is transcribed as it is published, inside a function that receives the
library as ``torch`` (standing for ``import torch`` / ``import minitorch as torch``). It runs once
with minitorch and once with torch; values that do not depend on random numbers must agree.
Skipped lines (torchvision, downloads) are commented out with the reason.

Sources (pytorch/tutorials):
- beginner_source/basics/tensorqs_tutorial.py        "Tensors" (Learn the Basics)
- beginner_source/basics/autogradqs_tutorial.py      "Automatic Differentiation with torch.autograd"
- beginner_source/blitz/autograd_tutorial.py         "A Gentle Introduction to torch.autograd"
  (and its earlier version, "Autograd: automatic differentiation")
"""
import math
import re

import torch as real_torch

import minitorch
from oracle import assert_close


def tensors_tutorial(torch):
    import numpy as np

    data = [[1, 2], [3, 4]]
    x_data = torch.tensor(data)

    np_array = np.array(data)
    x_np = torch.from_numpy(np_array)

    x_ones = torch.ones_like(x_data)  # retains the properties of x_data
    print(f"Ones Tensor: \n {x_ones} \n")

    x_rand = torch.rand_like(x_data, dtype=torch.float)  # overrides the datatype of x_data
    print(f"Random Tensor: \n {x_rand} \n")

    shape = (2, 3,)
    rand_tensor = torch.rand(shape)
    ones_tensor = torch.ones(shape)
    zeros_tensor = torch.zeros(shape)

    print(f"Random Tensor: \n {rand_tensor} \n")
    print(f"Ones Tensor: \n {ones_tensor} \n")
    print(f"Zeros Tensor: \n {zeros_tensor}")

    tensor = torch.rand(3, 4)

    print(f"Shape of tensor: {tensor.shape}")
    print(f"Datatype of tensor: {tensor.dtype}")
    print(f"Device tensor is stored on: {tensor.device}")

    # We move our tensor to the GPU if available, and if the cuda version is supported
    if torch.cuda.is_available() & (torch.device('cuda').index is not None):
        tensor = tensor.to('cuda')
    attributes = (tensor.shape, tensor.dtype, str(tensor.device))

    tensor = torch.ones(4, 4)
    print('First row: ', tensor[0])
    print('First column: ', tensor[:, 0])
    print('Last column:', tensor[..., -1])
    tensor[:, 1] = 0
    print(tensor)

    t1 = torch.cat([tensor, tensor, tensor], dim=1)
    print(t1)

    # This computes the matrix multiplication between two tensors. y1, y2, y3 will have the same value
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)

    y3 = torch.rand_like(tensor)
    torch.matmul(tensor, tensor.T, out=y3)

    # This computes the element-wise product. z1, z2, z3 will have the same value
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)

    z3 = torch.rand_like(tensor)
    torch.mul(tensor, tensor, out=z3)

    agg = tensor.sum()
    agg_item = agg.item()
    print(agg_item, type(agg_item))

    print(tensor, "\n")
    tensor.add_(5)
    print(tensor)

    t = torch.ones(5)
    print(f"t: {t}")
    n = t.numpy()
    print(f"n: {n}")

    t.add_(1)
    print(f"t: {t}")
    print(f"n: {n}")
    tensor_to_numpy = (t.clone(), n.copy())

    n = np.ones(5)
    t = torch.from_numpy(n)

    np.add(n, 1, out=n)
    print(f"t: {t}")
    print(f"n: {n}")
    return locals()


def autograd_basics_tutorial(torch):
    x = torch.ones(5)  # input tensor
    y = torch.zeros(3)  # expected output
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

    print(f"Gradient function for z = {z.grad_fn}")
    print(f"Gradient function for loss = {loss.grad_fn}")

    loss.backward()
    print(w.grad)
    print(b.grad)
    first = dict(w=w, b=b, z=z, loss=loss, w_grad=w.grad, b_grad=b.grad)

    z = torch.matmul(x, w)+b
    print(z.requires_grad)
    tracked = z.requires_grad

    with torch.no_grad():
        z = torch.matmul(x, w)+b
    print(z.requires_grad)
    untracked = z.requires_grad

    z = torch.matmul(x, w)+b
    z_det = z.detach()
    print(z_det.requires_grad)

    inp = torch.eye(4, 5, requires_grad=True)
    out = (inp+1).pow(2).t()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"First call\n{inp.grad}")
    first_call = inp.grad.clone()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nSecond call\n{inp.grad}")
    second_call = inp.grad.clone()
    inp.grad.zero_()
    out.backward(torch.ones_like(out), retain_graph=True)
    print(f"\nCall after zeroing gradients\n{inp.grad}")
    return locals()


def gentle_autograd_tutorial(torch):
    # Skipped: the first part needs torchvision's pretrained resnet18 (a download):
    # from torchvision.models import resnet18, ResNet18_Weights
    # model = resnet18(weights=ResNet18_Weights.DEFAULT)
    # data = torch.rand(1, 3, 64, 64)
    # labels = torch.rand(1, 1000)
    # prediction = model(data) # forward pass
    # loss = (prediction - labels).sum()
    # loss.backward() # backward pass
    # optim = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    # optim.step() #gradient descent

    a = torch.tensor([2., 3.], requires_grad=True)
    b = torch.tensor([6., 4.], requires_grad=True)

    Q = 3*a**3 - b**2

    external_grad = torch.tensor([1., 1.])
    Q.backward(gradient=external_grad)

    # check if collected gradients are correct
    print(9*a**2 == a.grad)
    print(-2*b == b.grad)
    checks = (9*a**2 == a.grad, -2*b == b.grad)

    x = torch.rand(5, 5)
    y = torch.rand(5, 5)
    z = torch.rand((5, 5), requires_grad=True)

    a = x + y
    print(f"Does `a` require gradients?: {a.requires_grad}")
    b = x + z
    print(f"Does `b` require gradients?: {b.requires_grad}")
    flags = (a.requires_grad, b.requires_grad)

    nn, optim = torch.nn, torch.optim  # from torch import nn, optim (an import would load real torch)

    # Skipped: model = resnet18(weights=ResNet18_Weights.DEFAULT) needs torchvision and a download. A linear
    # layer stands in for the pretrained network so the freezing code below runs as written.
    model = nn.Sequential(nn.Linear(8, 512))
    model.fc = nn.Linear(512, 10)

    # Freeze all the parameters in the network
    for param in model.parameters():
        param.requires_grad = False

    model.fc = nn.Linear(512, 10)

    # Optimize only the classifier
    optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
    trainable = [p.requires_grad for p in model.parameters()]
    return locals()


def classic_autograd_tutorial(torch):
    x = torch.ones(2, 2, requires_grad=True)
    print(x)

    y = x + 2
    print(y)
    print(y.grad_fn)

    z = y * y * 3
    out = z.mean()

    print(z, out)

    a = torch.randn(2, 2)
    a = ((a * 3) / (a - 1))
    print(a.requires_grad)
    a.requires_grad_(True)
    print(a.requires_grad)
    b = (a * a).sum()
    print(b.grad_fn)

    out.backward()
    print(x.grad)
    x_grad = x.grad

    x = torch.randn(3, requires_grad=True)

    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2

    print(y)

    gradients = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
    y.backward(gradients)

    print(x.grad)
    ratio = x.grad / gradients  # every element is the same power of 2
    print(x.requires_grad)
    print((x ** 2).requires_grad)

    with torch.no_grad():
        print((x ** 2).requires_grad)

    print(x.requires_grad)
    y = x.detach()
    print(y.requires_grad)
    print(x.eq(y).all())
    return locals()


def run_both(tutorial, capsys):
    """Run the tutorial with each library; also return what each printed (object addresses blanked)."""
    mine = tutorial(minitorch)
    mine_printed = capsys.readouterr().out
    theirs = tutorial(real_torch)
    theirs_printed = capsys.readouterr().out
    blank = lambda text: re.sub(r"object at 0x[0-9a-f]+", "object at 0x...", text)  # noqa: E731
    return mine, theirs, blank(mine_printed), blank(theirs_printed)


def test_tensors_tutorial(capsys):
    mine, theirs, printed, torch_printed = run_both(tensors_tutorial, capsys)
    for name in ["x_data", "x_np", "x_ones", "ones_tensor", "zeros_tensor", "t1", "y1", "y2", "y3", "z1", "z2", "z3",
                 "tensor", "t", "n"]:
        assert_close(mine[name], theirs[name], what=name)
    for name in ["x_rand", "rand_tensor"]:
        assert mine[name].shape == theirs[name].shape and str(mine[name].dtype) == str(theirs[name].dtype)
    assert str(mine["attributes"]) == str(theirs["attributes"])
    assert mine["agg_item"] == theirs["agg_item"] and type(mine["agg_item"]) is float
    assert_close(*mine["tensor_to_numpy"], what="t shares memory with n")
    # from the attributes on, no random number is printed: the text must be torch's
    start = "Shape of tensor"
    assert printed[printed.index(start):] == torch_printed[torch_printed.index(start):]


def test_autograd_basics_tutorial(capsys):
    mine, theirs, printed, torch_printed = run_both(autograd_basics_tutorial, capsys)
    # random w and b: recompute the first part in torch from minitorch's values
    w = real_torch.tensor(mine["first"]["w"].detach().numpy(), requires_grad=True)
    b = real_torch.tensor(mine["first"]["b"].detach().numpy(), requires_grad=True)
    loss = real_torch.nn.functional.binary_cross_entropy_with_logits(real_torch.ones(5) @ w + b, real_torch.zeros(3))
    loss.backward()
    assert_close(mine["first"]["loss"], loss)
    assert_close(mine["first"]["w_grad"], w.grad)
    assert_close(mine["first"]["b_grad"], b.grad)
    assert (mine["tracked"], mine["untracked"]) == (True, False)
    for name in ["first_call", "second_call", "inp"]:
        assert_close(mine[name], theirs[name], what=name)
    assert_close(mine["inp"].grad, theirs["inp"].grad)
    assert "Gradient function for z = <AddBackward0 object at" in printed
    assert "Gradient function for loss = <" in printed  # minitorch composes this loss: another node name
    tail, torch_tail = printed[printed.index("First call"):], torch_printed[torch_printed.index("First call"):]
    assert tail == torch_tail


def test_gentle_autograd_tutorial(capsys):
    mine, theirs, printed, torch_printed = run_both(gentle_autograd_tutorial, capsys)
    for a, b in zip(mine["checks"], theirs["checks"]):
        assert_close(a, b)
    assert mine["flags"] == theirs["flags"] == (False, True)
    assert mine["trainable"] == theirs["trainable"] == [False, False, True, True]
    assert printed == torch_printed


def test_classic_autograd_tutorial(capsys):
    mine, theirs, printed, torch_printed = run_both(classic_autograd_tutorial, capsys)
    assert_close(mine["x_grad"], theirs["x_grad"])
    assert_close(mine["x_grad"], real_torch.full((2, 2), 4.5))
    ratio = mine["ratio"].detach()  # the loop doubled y until its norm reached 1000: a power of two
    scale = ratio[0].item()
    assert bool((ratio == ratio[0]).all()) and math.log2(scale).is_integer()
    assert 1000 <= mine["x"].norm().item() * scale < 2000
    # the text printed before the random part, and after it, is torch's
    assert printed.splitlines()[:12] == torch_printed.splitlines()[:12]
    assert printed.splitlines()[-6:] == torch_printed.splitlines()[-6:]
