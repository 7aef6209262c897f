"""Every optimizer against torch: 100 steps on three problems from identical float64 parameters must
follow the same trajectory (every parameter after every step, within 1e-6 relative).

The problems are written once as ``loss(lib, params)`` so the same code runs on minitorch and torch:
a convex quadratic, the Rosenbrock function, and a small tanh MLP (built from matmul + tanh).
"""
import numpy as np
import pytest
import torch

import minitorch

RTOL, ATOL = 1e-6, 1e-9
STEPS = 100


# ---------------------------------------------------------------- problems: (initial arrays, loss(lib, params))
def quadratic():
    """0.5 x^T A x - b^T x with A symmetric positive definite; x is a 3x4 matrix, flattened."""
    rng = np.random.default_rng(0)
    m = rng.standard_normal((12, 12))
    a, b = m @ m.T / 12 + np.eye(12), rng.standard_normal(12)

    def loss(lib, params):
        x = params[0].reshape(12)
        return 0.5 * (x @ (lib.tensor(a) @ x)) - lib.tensor(b) @ x
    return [rng.standard_normal((3, 4))], loss


def rosenbrock():
    """sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2 over a 2x3 matrix, flattened."""
    def loss(lib, params):
        x = params[0].reshape(6)
        return (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum()
    return [np.array([[-1.2, 1.0, -0.5], [0.8, 1.3, 0.2]])], loss


def mlp():
    """Mean squared error of tanh(X W1 + b1) W2 + b2 on a fixed random regression task."""
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((16, 4)), rng.standard_normal((16, 1))
    params = [rng.standard_normal((4, 8)) * 0.5, rng.standard_normal(8) * 0.1,
              rng.standard_normal((8, 1)) * 0.5, rng.standard_normal(1) * 0.1]

    def loss(lib, params):
        w1, b1, w2, b2 = params
        hidden = lib.tanh(lib.tensor(x) @ w1 + b1)
        return ((hidden @ w2 + b2 - lib.tensor(y)) ** 2).mean()
    return params, loss


PROBLEMS = {"quadratic": quadratic, "rosenbrock": rosenbrock, "mlp": mlp}

# ---------------------------------------------------------------- optimizers and their option combinations
CONFIGS = [
    ("SGD", dict(lr=1e-3)),
    ("SGD", dict(lr=1e-3, momentum=0.9)),
    ("SGD", dict(lr=1e-3, momentum=0.9, dampening=0.5)),
    ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=1e-3, momentum=0.5, weight_decay=0.1)),
    ("SGD", dict(lr=1e-3, momentum=0.9, maximize=True)),
    ("Adam", dict(lr=1e-2)),
    ("Adam", dict(lr=1e-2, amsgrad=True)),
    ("Adam", dict(lr=1e-2, weight_decay=0.1)),
    ("Adam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True, amsgrad=True)),
    ("Adam", dict(lr=1e-2, betas=(0.8, 0.99), eps=1e-6, maximize=True)),
    ("AdamW", dict(lr=1e-2)),
    ("AdamW", dict(lr=1e-2, weight_decay=0.3, amsgrad=True, maximize=True)),
    ("RMSprop", dict(lr=1e-3)),
    ("RMSprop", dict(lr=1e-3, centered=True)),
    ("RMSprop", dict(lr=1e-3, momentum=0.9)),
    ("RMSprop", dict(lr=1e-3, centered=True, momentum=0.5, alpha=0.9, weight_decay=0.1)),
    ("RMSprop", dict(lr=1e-3, maximize=True)),
    ("Adagrad", dict(lr=0.05)),
    ("Adagrad", dict(lr=0.05, lr_decay=0.01, initial_accumulator_value=0.1)),
    ("Adagrad", dict(lr=0.05, weight_decay=0.1, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1)),
    ("Adadelta", dict(maximize=True)),
    ("Adamax", dict(lr=1e-2)),
    ("Adamax", dict(lr=1e-2, weight_decay=0.1, betas=(0.8, 0.99))),
    ("Adamax", dict(lr=1e-2, maximize=True)),
    ("NAdam", dict(lr=1e-2)),
    ("NAdam", dict(lr=1e-2, weight_decay=0.1)),
    ("NAdam", dict(lr=1e-2, weight_decay=0.1, decoupled_weight_decay=True, momentum_decay=1e-2)),
    ("NAdam", dict(lr=1e-2, maximize=True)),
    ("RAdam", dict(lr=1e-3)),
    ("RAdam", dict(lr=1e-3, weight_decay=0.1)),
    ("RAdam", dict(lr=1e-3, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("ASGD", dict(lr=1e-3)),
    ("ASGD", dict(lr=1e-3, t0=20, lambd=1e-2, alpha=0.5)),
    ("ASGD", dict(lr=1e-3, t0=10, weight_decay=0.1, maximize=True)),
    ("Rprop", dict(lr=1e-3)),
    ("Rprop", dict(lr=1e-3, etas=(0.3, 1.5), step_sizes=(1e-4, 0.1))),
    ("Rprop", dict(lr=1e-3, maximize=True)),
    ("Adafactor", dict(lr=1e-2)),
    ("Adafactor", dict(lr=1e-2, beta2_decay=-0.7, eps=(1e-12, 1e-2), d=2.0, weight_decay=0.1)),
    ("Adafactor", dict(lr=1e-2, maximize=True)),
    ("Muon", dict(lr=1e-3)),
    ("Muon", dict(lr=1e-3, nesterov=False, weight_decay=0.0, adjust_lr_fn="match_rms_adamw")),
    ("Muon", dict(lr=1e-3, momentum=0.5, ns_steps=3, adjust_lr_fn="original")),
]
LBFGS_CONFIGS = [dict(lr=0.5, max_iter=5), dict(lr=0.5, max_iter=5, history_size=5),
                 dict(max_iter=5, line_search_fn="strong_wolfe"),
                 dict(max_iter=4, history_size=3, line_search_fn="strong_wolfe", tolerance_change=1e-12)]


def _config_id(config):
    name, kwargs = config
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


def make_params(lib, arrays):
    return [lib.tensor(a.copy(), requires_grad=True) for a in arrays]


def run_trajectory(lib, name, kwargs, problem, steps=STEPS, between_steps=None):
    """Parameters (as numpy arrays) after each of ``steps`` optimizer steps; ``between_steps(optimizer,
    step)``, when given, runs before each step (to change a hyper-parameter, say)."""
    arrays, loss_fn = PROBLEMS[problem]()
    params = make_params(lib, arrays)
    trained = [p for p in params if p.ndim == 2] if name == "Muon" else params
    optimizer = getattr(lib.optim, name)(trained, **kwargs)
    sign = -1.0 if kwargs.get("maximize") else 1.0  # maximize(-f) must walk the same path as minimize(f)

    def closure():
        optimizer.zero_grad()
        loss = sign * loss_fn(lib, params)
        loss.backward()
        return loss

    trajectory = []
    for step in range(steps):
        if between_steps is not None:
            between_steps(optimizer, step)
        if name == "LBFGS":
            optimizer.step(closure)
        else:
            closure()
            optimizer.step()
        trajectory.append([p.detach().numpy().copy() for p in params])
    return trajectory


def assert_same_trajectory(mine, theirs, rtol=RTOL, atol=ATOL):
    for step, (m_params, t_params) in enumerate(zip(mine, theirs)):
        for i, (m, t) in enumerate(zip(m_params, t_params)):
            assert np.abs(t).max() < 1e3, f"torch diverged at step {step}: pick a smaller lr for this test"
            np.testing.assert_allclose(m, t, rtol=rtol, atol=atol, err_msg=f"parameter {i} after step {step + 1}")


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("config", CONFIGS, ids=_config_id)
def test_trajectory_matches_torch(config, problem):
    name, kwargs = config
    # torch runs Muon's small bfloat16 matmuls very slowly on CPUs without bfloat16 units (~20 ms each),
    # so Muon walks 10 steps here; test_muon_orthogonalization_is_bit_exact checks its core separately.
    steps = 10 if name == "Muon" else STEPS
    mine = run_trajectory(minitorch, name, kwargs, problem, steps)
    theirs = run_trajectory(torch, name, kwargs, problem, steps)
    # Muon's Newton-Schulz runs in bfloat16 (as torch's does, bit for bit); a last-bit difference in a
    # gradient can round one element to the neighbouring bfloat16 value: a step difference of lr * 2^-8.
    assert_same_trajectory(mine, theirs, atol=1e-6 if name == "Muon" else ATOL)
    assert not np.allclose(theirs[-1][0], PROBLEMS[problem]()[0][0]), "the optimizer did not move"


@pytest.mark.parametrize("problem", PROBLEMS)
@pytest.mark.parametrize("kwargs", LBFGS_CONFIGS, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()))
def test_lbfgs_trajectory_matches_torch(kwargs, problem):
    mine = run_trajectory(minitorch, "LBFGS", kwargs, problem, steps=10)  # up to 50 iterations
    theirs = run_trajectory(torch, "LBFGS", kwargs, problem, steps=10)
    assert_same_trajectory(mine, theirs)


@pytest.mark.parametrize("name, kwargs", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.1)),
                                          ("RMSprop", dict(lr=0.01, centered=True)), ("Adafactor", dict(lr=0.1))])
def test_float32_parameters_stay_float32_and_match_torch(name, kwargs):
    arrays, loss_fn = mlp()
    results = []
    for lib in (minitorch, torch):
        params = make_params(lib, [a.astype(np.float32) for a in arrays])
        optimizer = getattr(lib.optim, name)(params, **kwargs)
        for _ in range(10):
            optimizer.zero_grad()
            loss_fn(lib, [p.double() for p in params]).float().backward()
            optimizer.step()
        results.append(params)
    for m, t in zip(*results):
        assert m.dtype == minitorch.float32
        np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shape", [(3, 4), (5, 2), (1, 6), (16, 16)])
def test_muon_orthogonalization_is_bit_exact(shape):
    """Newton-Schulz in emulated bfloat16 gives exactly torch's bfloat16 result."""
    from torch.optim._muon import _zeropower_via_newtonschulz

    from minitorch.optim.muon import NS_COEFFICIENTS, orthogonalize
    matrix = np.random.default_rng(sum(shape)).standard_normal(shape)
    theirs = _zeropower_via_newtonschulz(torch.tensor(matrix), NS_COEFFICIENTS, 5, 1e-7).double().numpy()
    mine = orthogonalize(matrix, NS_COEFFICIENTS, 5, 1e-7)
    np.testing.assert_array_equal(mine, theirs)
    singular_values = np.linalg.svd(mine, compute_uv=False)
    assert singular_values.max() < 1.5 and singular_values.min() > 0.3
