"""The acceptance yardstick, continued: PyTorch's tutorials about nn and training, run unchanged on minitorch.

As in test_torch_tutorials.py, each tutorial is transcribed as published inside a function that receives
the library as ``torch`` (standing for ``import torch`` / ``import minitorch as torch``), and runs once with
minitorch and once with torch. The ``import torch.xxx`` / ``from torch.xxx import yyy`` lines become
``_import(torch, "xxx")``, which imports the submodule of the library under test by name (a plain ``from
torch import nn`` inside the function would import real torch's ``nn`` even in the minitorch run).

Only three kinds of change are made, each marked where it is made:
- downloads (MNIST, FashionMNIST, torchvision's pretrained models) are replaced by the 8x8 digits shipped
  with minitorch (``minitorch.datasets``), with the sizes adapted: 28x28 = 784 -> 8x8 = 64 (and the CNN's
  final 4x4 grid -> 1x1, so its average pooling kernel 4 -> 1);
- epoch counts and data set sizes are small, so the file runs in seconds;
- display-only lines (pyplot.imshow, IPython's set_trace) are commented out.

Same random numbers in both runs: the minitorch run is recorded (the values of ``torch.randn`` /
``torch.rand``, the parameters ``nn.Linear`` / ``nn.Conv2d`` initialise, the orders ``RandomSampler``
draws for ``shuffle=True``), without changing what minitorch computes; the torch run then replays them
(torch draws, then the recorded values are copied in). So everything printed must be torch's text,
except the float values, which must agree within float32 tolerance.

Sources (pytorch/tutorials):
- beginner_source/nn_tutorial.py                   "What is torch.nn really?" (Jeremy Howard)
- beginner_source/basics/buildmodel_tutorial.py    "Build the Neural Network" (Learn the Basics)
- beginner_source/basics/optimization_tutorial.py  "Optimizing Model Parameters" (Learn the Basics)
- beginner_source/basics/saveloadrun_tutorial.py   "Save and Load the Model" (Learn the Basics)
"""
import contextlib
import functools
import importlib
import io
import re
import tempfile

import numpy as np
import pytest
import torch as real_torch

import minitorch
from oracle import assert_close


def _import(torch, name):
    """``import torch.<name>`` for the library under test: ``import minitorch.<name>`` in the minitorch run."""
    return importlib.import_module(f"{torch.__name__}.{name}")


@functools.lru_cache(maxsize=None)
def _digits(images=False):
    """The digits as numpy arrays (what a download would give): float32 pixels 0..16, int64 labels."""
    x, y = minitorch.datasets.load_digits(images=images)
    return x.numpy().copy(), y.numpy().copy()


# ----------------------------------------------------------------------------- same random numbers
class RandomTape:
    """Records minitorch's random draws (minitorch run), then feeds them to torch (torch run)."""

    def __init__(self):
        self.draws, self.depth, self.replayed = [], 0, 0

    # --- minitorch run: observe, change nothing
    def record(self, monkeypatch):
        for name in ("randn", "rand"):
            real = getattr(minitorch, name)

            def draw(*args, _real=real, _name=name, **kwargs):
                out = _real(*args, **kwargs)
                if not self.depth:
                    self.draws.append((_name, out.detach().numpy().copy()))
                return out
            monkeypatch.setattr(minitorch, name, draw)
        for cls in (minitorch.nn.Linear, minitorch.nn.Conv2d):
            real_init = cls.__init__

            def init(module, *args, _real=real_init, _name=cls.__name__, **kwargs):
                self.depth += 1
                try:
                    _real(module, *args, **kwargs)
                finally:
                    self.depth -= 1
                self.draws.append((_name, {k: v.detach().numpy().copy() for k, v in module.named_parameters()}))
            monkeypatch.setattr(cls, "__init__", init)
        real_iter = minitorch.utils.data.RandomSampler.__iter__

        def order(sampler):
            indices = list(real_iter(sampler))
            self.draws.append(("RandomSampler", indices))
            return iter(indices)
        monkeypatch.setattr(minitorch.utils.data.RandomSampler, "__iter__", order)

    # --- torch run: torch does its own work, then gets minitorch's numbers
    def _next(self, name):
        assert self.replayed < len(self.draws), f"torch drew more random numbers than minitorch ({name})"
        recorded_name, value = self.draws[self.replayed]
        assert recorded_name == name, f"random draw {self.replayed}: torch's {name}, minitorch's {recorded_name}"
        self.replayed += 1
        return value

    def replay(self, monkeypatch):
        for name in ("randn", "rand"):
            real = getattr(real_torch, name)

            def draw(*args, _real=real, _name=name, **kwargs):
                out = _real(*args, **kwargs)
                value = self._next(_name)
                assert tuple(out.shape) == value.shape, f"{_name}: shape {value.shape}, torch's {tuple(out.shape)}"
                with real_torch.no_grad():
                    out.copy_(real_torch.from_numpy(value))
                return out
            monkeypatch.setattr(real_torch, name, draw)
        for cls in (real_torch.nn.Linear, real_torch.nn.Conv2d):
            real_init = cls.__init__

            def init(module, *args, _real=real_init, _name=cls.__name__, **kwargs):
                _real(module, *args, **kwargs)
                values = self._next(_name)
                params = dict(module.named_parameters())
                assert params.keys() == values.keys(), f"{_name}: parameters {list(values)}, torch's {list(params)}"
                with real_torch.no_grad():
                    for key, p in params.items():
                        assert tuple(p.shape) == values[key].shape, f"{_name}.{key}: shape {values[key].shape}"
                        p.copy_(real_torch.from_numpy(values[key]))
            monkeypatch.setattr(cls, "__init__", init)

        def order(sampler):
            indices = self._next("RandomSampler")
            assert sorted(indices) == list(range(len(sampler.data_source))), "shuffle: not a permutation"
            return iter(indices)
        monkeypatch.setattr(real_torch.utils.data.RandomSampler, "__iter__", order)


def run_both(tutorial, in_tmp_dir=False):
    """Run ``tutorial`` with minitorch (recording its random numbers), then with torch (replaying them).
    Return both results and both printed texts."""
    tape, printed = RandomTape(), []
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        if in_tmp_dir:
            patch.chdir(tmp)  # the tutorial writes its files in the working directory
        results = []
        for library, hook in ((minitorch, tape.record), (real_torch, tape.replay)):
            minitorch.manual_seed(0)
            with pytest.MonkeyPatch.context() as random_patch, contextlib.redirect_stdout(io.StringIO()) as out:
                hook(random_patch)
                results.append(tutorial(library))
            printed.append(out.getvalue())
    assert tape.replayed == len(tape.draws), "minitorch drew random numbers that torch's run did not"
    return results[0], results[1], printed[0], printed[1]


@functools.lru_cache(maxsize=None)
def run_once(tutorial, in_tmp_dir=False):
    """run_both, once per session: the exact-text tests below reuse the runs of the main tests."""
    return run_both(tutorial, in_tmp_dir)


# One autograd node is named differently on purpose: minitorch's cross_entropy with class indices is
# one fused node, CrossEntropyBackward0, where torch's is NllLossBackward0 after LogSoftmaxBackward0
# (see minitorch/_functions/losses.py). The tests compare the printed text with that name as torch's.
NODE_NAMES_DIFFERING = {"grad_fn=<CrossEntropyBackward0>": "grad_fn=<NllLossBackward0>"}


def with_torch_node_names(text):
    for mine, torch_name in NODE_NAMES_DIFFERING.items():
        text = text.replace(mine, torch_name)
    return text


FLOAT = re.compile(r"-?(?:\d+\.\d*|\.\d+)(?:e[+-]?\d+)?|-?\d+e[+-]?\d+|nan|-?inf")


def assert_same_text(printed, torch_printed, rtol, atol):
    """The same text, except that floating-point numbers may differ within tolerance (integers, shapes,
    dtypes, reprs and layout must be identical; runs of spaces count as one, as a sign may shift padding)."""
    def split(text):
        template = FLOAT.sub("<f>", re.sub(r"object at 0x[0-9a-f]+", "object at 0x...", text))
        return re.sub(r"[ ]+", " ", template), [float(v) for v in FLOAT.findall(text)]
    (template, numbers), (torch_template, torch_numbers) = split(printed), split(torch_printed)
    if template != torch_template:  # show the first differing line
        for line, torch_line in zip(template.splitlines(), torch_template.splitlines()):
            assert line == torch_line, "printed text differs from torch's"
        assert template == torch_template, "printed text differs from torch's (number of lines)"
    np.testing.assert_allclose(numbers, torch_numbers, rtol=rtol, atol=atol, err_msg="printed numbers")


# ----------------------------------------------------------------------------- What is torch.nn really?
def nn_tutorial(torch):
    seen = {}  # (test) values kept for the comparison, at the end of each stage

    # MNIST data setup
    # ----------------
    # Skipped: downloading mnist.pkl.gz and unpickling it. The digits shipped with minitorch stand in
    # for it: numpy arrays as the pickle holds, float32 pixels in [0, 1] and int64 labels, 1000 for
    # training and 797 for validation; each image is 8 x 8 = 64 pixels (MNIST's: 28 x 28 = 784).
    x, y = _digits()
    ((x_train, y_train), (x_valid, y_valid)) = ((x[:1000] / 16, y[:1000]), (x[1000:] / 16, y[1000:]))

    # from matplotlib import pyplot  (display only)
    import numpy as np

    # pyplot.imshow(x_train[0].reshape((8, 8)), cmap="gray")  (display only)
    print(x_train.shape)

    # import torch  (the library passed in)

    x_train, y_train, x_valid, y_valid = map(
        torch.tensor, (x_train, y_train, x_valid, y_valid)
    )
    n, c = x_train.shape
    x_train, x_train.shape, y_train.min(), y_train.max()
    print(x_train, y_train)
    print(x_train.shape)
    print(y_train.min(), y_train.max())

    # Neural net from scratch (no torch.nn)
    import math

    weights = torch.randn(64, 10) / math.sqrt(64)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    bs = 64  # batch size

    xb = x_train[0:bs]  # a mini-batch from x
    preds = model(xb)  # predictions
    preds[0], preds.shape
    print(preds[0], preds.shape)

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    loss_func = nll

    yb = y_train[0:bs]
    print(loss_func(preds, yb))

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    print(accuracy(preds, yb))

    # from IPython.core.debugger import set_trace  (debugging only)

    lr = 0.5  # learning rate
    epochs = 2  # how many epochs to train for

    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            #         set_trace()
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()

    print(loss_func(model(xb), yb), accuracy(model(xb), yb))
    seen["from scratch"] = [weights, bias]

    # Using torch.nn.functional
    F = _import(torch, "nn.functional")  # import torch.nn.functional as F

    loss_func = F.cross_entropy

    def model(xb):
        return xb @ weights + bias

    print(loss_func(model(xb), yb), accuracy(model(xb), yb))

    # Refactor using nn.Module
    nn = _import(torch, "nn")  # from torch import nn

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(torch.randn(64, 10) / math.sqrt(64))
            self.bias = nn.Parameter(torch.zeros(10))

        def forward(self, xb):
            return xb @ self.weights + self.bias

    model = Mnist_Logistic()

    print(loss_func(model(xb), yb))

    def fit():
        for epoch in range(epochs):
            for i in range((n - 1) // bs + 1):
                start_i = i * bs
                end_i = start_i + bs
                xb = x_train[start_i:end_i]
                yb = y_train[start_i:end_i]
                pred = model(xb)
                loss = loss_func(pred, yb)

                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= p.grad * lr
                    model.zero_grad()

    fit()

    print(loss_func(model(xb), yb))
    seen["nn.Module"] = list(model.parameters())

    # Refactor using nn.Linear
    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(64, 10)

        def forward(self, xb):
            return self.lin(xb)

    model = Mnist_Logistic()
    print(loss_func(model(xb), yb))

    fit()

    print(loss_func(model(xb), yb))
    seen["nn.Linear"] = list(model.parameters())

    # Refactor using optim
    optim = _import(torch, "optim")  # from torch import optim

    def get_model():
        model = Mnist_Logistic()
        return model, optim.SGD(model.parameters(), lr=lr)

    model, opt = get_model()
    print(loss_func(model(xb), yb))

    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            opt.step()
            opt.zero_grad()

    print(loss_func(model(xb), yb))
    seen["optim"] = list(model.parameters())

    # Refactor using Dataset
    TensorDataset = _import(torch, "utils.data").TensorDataset  # from torch.utils.data import TensorDataset

    train_ds = TensorDataset(x_train, y_train)

    model, opt = get_model()

    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            xb, yb = train_ds[i * bs: i * bs + bs]
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            opt.step()
            opt.zero_grad()

    print(loss_func(model(xb), yb))
    seen["Dataset"] = list(model.parameters())

    # Refactor using DataLoader
    DataLoader = _import(torch, "utils.data").DataLoader  # from torch.utils.data import DataLoader

    train_ds = TensorDataset(x_train, y_train)
    train_dl = DataLoader(train_ds, batch_size=bs)

    model, opt = get_model()

    for epoch in range(epochs):
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            opt.step()
            opt.zero_grad()

    print(loss_func(model(xb), yb))
    seen["DataLoader"] = list(model.parameters())

    # Add validation
    train_ds = TensorDataset(x_train, y_train)
    train_dl = DataLoader(train_ds, batch_size=bs, shuffle=True)

    valid_ds = TensorDataset(x_valid, y_valid)
    valid_dl = DataLoader(valid_ds, batch_size=bs * 2)

    model, opt = get_model()

    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            opt.step()
            opt.zero_grad()

        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)

        print(epoch, valid_loss / len(valid_dl))
    seen["validation"] = list(model.parameters())

    # Create fit() and get_data()
    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)

        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()

        return loss.item(), len(xb)

    import numpy as np  # noqa: F811  (imported again, as in the tutorial)

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)

            model.eval()
            with torch.no_grad():
                losses, nums = zip(
                    *[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl]
                )
            val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

            print(epoch, val_loss)

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs, shuffle=True),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    model, opt = get_model()
    fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    seen["fit"] = list(model.parameters())

    # Switch to CNN
    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 8, 8)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 1)  # MNIST: 28 -> 14 -> 7 -> 4, pooled by 4; digits: 8 -> 4 -> 2 -> 1
            return xb.view(-1, xb.size(1))

    lr = 0.1

    model = Mnist_CNN()
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    seen["CNN"] = list(model.parameters())

    # nn.Sequential
    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 8, 8)

    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )

    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    seen["nn.Sequential"] = list(model.parameters())

    # Wrapping DataLoader
    def preprocess(x, y):
        return x.view(-1, 1, 8, 8), y

    class WrappedDataLoader:
        def __init__(self, dl, func):
            self.dl = dl
            self.func = func

        def __len__(self):
            return len(self.dl)

        def __iter__(self):
            batches = iter(self.dl)
            for b in batches:
                yield (self.func(*b))

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    train_dl = WrappedDataLoader(train_dl, preprocess)
    valid_dl = WrappedDataLoader(valid_dl, preprocess)

    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )

    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    seen["AdaptiveAvgPool2d"] = list(model.parameters())

    # Using your GPU
    print(torch.cuda.is_available())

    dev = torch.device(
        "cuda") if torch.cuda.is_available() else torch.device("cpu")

    def preprocess(x, y):
        return x.view(-1, 1, 8, 8).to(dev), y.to(dev)

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    train_dl = WrappedDataLoader(train_dl, preprocess)
    valid_dl = WrappedDataLoader(valid_dl, preprocess)

    model.to(dev)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    fit(epochs, model, loss_func, opt, train_dl, valid_dl)
    seen["GPU"] = list(model.parameters())
    return seen


def test_nn_tutorial():
    mine, theirs, printed, torch_printed = run_once(nn_tutorial)
    assert mine.keys() == theirs.keys()
    for stage in mine:
        assert len(mine[stage]) == len(theirs[stage]), stage
        for i, (p, q) in enumerate(zip(mine[stage], theirs[stage])):
            assert_close(p.detach(), q.detach(), what=f"{stage}: parameter {i}")
    # tensors print 4 decimals: two values a hair apart may round 1e-4 apart
    assert_same_text(with_torch_node_names(printed), torch_printed, rtol=1e-5, atol=1e-4)
    # the trainings trained: the validation loss after 2 epochs of logistic regression is far below log(10)
    epoch_lines = re.findall(r"^1 (?:tensor\()?([0-9.]+)", printed, flags=re.M)
    assert len(epoch_lines) == 6 and float(epoch_lines[0]) < 1.2 and float(epoch_lines[1]) < 1.2
    assert printed.count("grad_fn=<CrossEntropyBackward0>") == 9  # the loss printed with F.cross_entropy


# ----------------------------------------------------------------------------- Build the Neural Network
def build_model_tutorial(torch, device_line=None):
    import os  # noqa: F401
    # import torch  (the library passed in)
    nn = _import(torch, "nn")  # from torch import nn
    DataLoader = _import(torch, "utils.data").DataLoader  # noqa: F841  from torch.utils.data import DataLoader
    # from torchvision import datasets, transforms  (not installed, and the data is a download)

    # Get Device for Training: the line as published in 2021 (device_line="mps": 2023; "accelerator": 2025)
    if device_line is None:
        device = 'cuda' if torch.cuda.is_available() else 'cpu'
        print('Using {} device'.format(device))
    elif device_line == "mps":
        device = (
            "cuda"
            if torch.cuda.is_available()
            else "mps"
            if torch.backends.mps.is_available()
            else "cpu"
        )
        print(f"Using {device} device")
    else:
        device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
        print(f"Using {device} device")

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(8*8, 512),
                nn.ReLU(),
                nn.Linear(512, 512),
                nn.ReLU(),
                nn.Linear(512, 10),
            )

        def forward(self, x):
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    model = NeuralNetwork().to(device)
    print(model)

    X = torch.rand(1, 8, 8, device=device)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    print(f"Predicted class: {y_pred}")
    first = dict(logits=logits, pred_probab=pred_probab, y_pred=y_pred)

    input_image = torch.rand(3,8,8)
    print(input_image.size())

    flatten = nn.Flatten()
    flat_image = flatten(input_image)
    print(flat_image.size())

    layer1 = nn.Linear(in_features=8*8, out_features=20)
    hidden1 = layer1(flat_image)
    print(hidden1.size())

    print(f"Before ReLU: {hidden1}\n\n")
    hidden1 = nn.ReLU()(hidden1)
    print(f"After ReLU: {hidden1}")

    seq_modules = nn.Sequential(
        flatten,
        layer1,
        nn.ReLU(),
        nn.Linear(20, 10)
    )
    input_image = torch.rand(3,8,8)
    logits = seq_modules(input_image)

    softmax = nn.Softmax(dim=1)
    pred_probab = softmax(logits)

    print(f"Model structure: {model}\n\n")

    for name, param in model.named_parameters():
        print(f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n")
    return dict(first=first, hidden1=hidden1, logits=logits, pred_probab=pred_probab)


def test_build_model_tutorial():
    mine, theirs, printed, torch_printed = run_once(build_model_tutorial)
    for name in ["logits", "pred_probab", "y_pred"]:
        assert_close(mine["first"][name], theirs["first"][name], what=name)
    for name in ["hidden1", "logits", "pred_probab"]:
        assert_close(mine[name], theirs[name], what=name)
    # no training: the numbers differ at most by the rounding of the last printed digit
    assert_same_text(with_torch_node_names(printed), torch_printed, rtol=1e-5, atol=1e-4)
    assert "Layer: linear_relu_stack.0.weight | Size: torch.Size([512, 64]) | Values : tensor([[" in printed
    assert "grad_fn=<AddmmBackward0>)\n\n\nAfter ReLU: tensor([[" in printed


def test_build_model_tutorial_device_line_2023():
    mine, theirs, printed, torch_printed = run_both(functools.partial(build_model_tutorial, device_line="mps"))
    assert_same_text(with_torch_node_names(printed), torch_printed, rtol=1e-5, atol=1e-4)


def test_build_model_tutorial_device_line_current():
    mine, theirs, printed, torch_printed = run_both(
        functools.partial(build_model_tutorial, device_line="accelerator"))
    assert_same_text(with_torch_node_names(printed), torch_printed, rtol=1e-5, atol=1e-4)


# ----------------------------------------------------------------------------- Optimizing Model Parameters
def optimization_tutorial(torch):
    # import torch  (the library passed in)
    nn = _import(torch, "nn")  # from torch import nn
    DataLoader = _import(torch, "utils.data").DataLoader  # from torch.utils.data import DataLoader
    # from torchvision import datasets
    # from torchvision.transforms import ToTensor
    # Skipped: FashionMNIST (a download). The digits stand in for it, as ToTensor() would give them:
    # (1, 8, 8) float32 images in [0, 1], int64 labels; 1200 to train on, 597 to test.
    TensorDataset = _import(torch, "utils.data").TensorDataset
    x, y = _digits(images=True)
    training_data = TensorDataset(torch.tensor(x[:1200] / 16), torch.tensor(y[:1200]))
    test_data = TensorDataset(torch.tensor(x[1200:] / 16), torch.tensor(y[1200:]))

    train_dataloader = DataLoader(training_data, batch_size=64)
    test_dataloader = DataLoader(test_data, batch_size=64)

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(8*8, 512),
                nn.ReLU(),
                nn.Linear(512, 512),
                nn.ReLU(),
                nn.Linear(512, 10),
            )

        def forward(self, x):
            x = self.flatten(x)
            logits = self.linear_relu_stack(x)
            return logits

    model = NeuralNetwork()

    learning_rate = 1e-3
    batch_size = 64
    epochs = 5

    # Initialize the loss function
    loss_fn = nn.CrossEntropyLoss()

    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    def train_loop(dataloader, model, loss_fn, optimizer):
        size = len(dataloader.dataset)
        # Set the model to training mode - important for batch normalization and dropout layers
        # Unnecessary in this situation but added for best practices
        model.train()
        for batch, (X, y) in enumerate(dataloader):
            # Compute prediction and loss
            pred = model(X)
            loss = loss_fn(pred, y)

            # Backpropagation
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

            if batch % 100 == 0:
                loss, current = loss.item(), batch * batch_size + len(X)
                print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")

    def test_loop(dataloader, model, loss_fn):
        # Set the model to evaluation mode - important for batch normalization and dropout layers
        # Unnecessary in this situation but added for best practices
        model.eval()
        size = len(dataloader.dataset)
        num_batches = len(dataloader)
        test_loss, correct = 0, 0

        # Evaluating the model with torch.no_grad() ensures that no gradients are computed during test mode
        # also serves to reduce unnecessary gradient computations and memory usage for tensors with requires_grad=True
        with torch.no_grad():
            for X, y in dataloader:
                pred = model(X)
                test_loss += loss_fn(pred, y).item()
                correct += (pred.argmax(1) == y).type(torch.float).sum().item()

        test_loss /= num_batches
        correct /= size
        print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")

    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)

    epochs = 3  # the tutorial: 10
    for t in range(epochs):
        print(f"Epoch {t+1}\n-------------------------------")
        train_loop(train_dataloader, model, loss_fn, optimizer)
        test_loop(test_dataloader, model, loss_fn)
    print("Done!")
    return dict(parameters=list(model.parameters()))


def test_optimization_tutorial():
    mine, theirs, printed, torch_printed = run_once(optimization_tutorial)
    for i, (p, q) in enumerate(zip(mine["parameters"], theirs["parameters"], strict=True)):
        assert_close(p.detach(), q.detach(), what=f"parameter {i}")
    # the accuracies (one decimal): a near tie in an argmax may move one test sample (0.17%)
    accuracy = re.compile(r"Accuracy: ([0-9.]+)%")
    np.testing.assert_allclose([float(a) for a in accuracy.findall(printed)],
                               [float(a) for a in accuracy.findall(torch_printed)], rtol=0, atol=0.2)
    # the losses print 6 decimals: two values a hair apart may round 1e-6 apart
    assert_same_text(accuracy.sub("Accuracy: <a>%", printed), accuracy.sub("Accuracy: <a>%", torch_printed),
                     rtol=1e-6, atol=1e-6)
    assert printed.count("Test Error: \n Accuracy: ") == 3 and "[   64/ 1200]" in printed
    assert printed.endswith("Done!\n")


# ----------------------------------------------------------------------------- Save and Load the Model
_MODEL_CLASSES = {}


def _neural_network_class(torch):
    """The Build Model tutorial's NeuralNetwork, defined at module level (as in a notebook or script) so
    that pickling a whole model can find its class."""
    if torch.__name__ not in _MODEL_CLASSES:
        nn = _import(torch, "nn")

        class NeuralNetwork(nn.Module):
            def __init__(self):
                super().__init__()
                self.flatten = nn.Flatten()
                self.linear_relu_stack = nn.Sequential(
                    nn.Linear(8*8, 512),
                    nn.ReLU(),
                    nn.Linear(512, 512),
                    nn.ReLU(),
                    nn.Linear(512, 10),
                )

            def forward(self, x):
                x = self.flatten(x)
                logits = self.linear_relu_stack(x)
                return logits

        name = f"NeuralNetwork_{torch.__name__}"
        NeuralNetwork.__name__ = NeuralNetwork.__qualname__ = name
        globals()[name] = _MODEL_CLASSES[torch.__name__] = NeuralNetwork
    return _MODEL_CLASSES[torch.__name__]


def save_load_tutorial(torch, whole_model=False):
    # import torch  (the library passed in)
    # import torchvision.models as models
    # Skipped: torchvision's vgg16 and its pretrained weights (a download); the NeuralNetwork of
    # "Build the Neural Network" stands in for it, trained for one epoch on the digits instead.
    NeuralNetwork = _neural_network_class(torch)
    x, y = _digits()
    images, labels = torch.tensor(x[:256] / 16), torch.tensor(y[:256])
    model = NeuralNetwork()  # model = models.vgg16(weights='IMAGENET1K_V1')
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for i in range(0, 256, 64):
        loss = torch.nn.functional.cross_entropy(model(images[i:i + 64]), labels[i:i + 64])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    trained = model
    model.eval()
    with torch.no_grad():
        expected = model(images)

    torch.save(model.state_dict(), 'model_weights.pth')

    model = NeuralNetwork()  # model = models.vgg16() # we do not specify ``weights``, i.e. create untrained model
    print(model.load_state_dict(torch.load('model_weights.pth', weights_only=True)))  # (the cell's output)
    print(model.eval())  # (the cell's output)
    with torch.no_grad():
        loaded = model(images)
    result = dict(expected=expected, loaded=loaded, trained=trained, model=model)

    if whole_model:
        torch.save(model, 'model.pth')

        model = torch.load('model.pth', weights_only=False)
        with torch.no_grad():
            result["whole"] = model(images)
        print(model)
    return result


def test_save_load_tutorial():
    mine, theirs, printed, torch_printed = run_once(save_load_tutorial, in_tmp_dir=True)
    assert_close(mine["loaded"], mine["expected"], atol=0, rtol=0, what="outputs after loading")
    assert mine["model"] is not mine["trained"]
    loaded, trained = mine["model"].state_dict(), mine["trained"].state_dict()
    assert list(loaded) == list(trained)
    for name in loaded:
        assert_close(loaded[name], trained[name], atol=0, rtol=0, what=name)
    assert_close(mine["expected"], theirs["expected"], what="trained model's outputs")
    assert printed.replace("minitorch", "torch") == torch_printed
    assert printed.startswith("<All keys matched successfully>\nNeuralNetwork_minitorch(\n")


def test_save_load_tutorial_whole_model_is_refused_with_the_way_out(tmp_path, monkeypatch):
    """By design minitorch.save stores data only (loading a pickled module can run code): the tutorial's
    torch.save(model, 'model.pth') is refused at once, with the fix, save(model.state_dict(), ...)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(TypeError, match=r"save model\.state_dict\(\)"):
        save_load_tutorial(minitorch, whole_model=True)
