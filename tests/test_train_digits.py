"""Training end to end: the same MLP trained on the digits data by minitorch and by torch, from the
same initial weights on the same batches, ends at the same loss (and the same weights)."""
import numpy as np
import pytest
import torch

import minitorch


def train(lib, x, y, initial_state, batches, dtype, epochs=3):
    nn = lib.nn
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(getattr(lib, dtype))
    model.load_state_dict({k: lib.tensor(v) for k, v in initial_state.items()})
    optimizer = lib.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    inputs, targets = lib.tensor(x).to(getattr(lib, dtype)), lib.tensor(y)
    losses = []
    for _ in range(epochs):
        for batch in batches:
            index = lib.tensor(batch)
            loss = nn.functional.cross_entropy(model(inputs[index]), targets[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    with lib.no_grad():
        final = nn.functional.cross_entropy(model(inputs), targets).item()
    return losses, final, {k: v.detach().numpy() for k, v in model.state_dict().items()}


@pytest.mark.parametrize("dtype, rtol", [("float64", 1e-9), ("float32", 2e-4)])
def test_minitorch_and_torch_train_to_the_same_loss(dtype, rtol):
    features, labels = minitorch.datasets.load_digits()
    x, y = features.numpy() / 16.0, labels.numpy()
    torch.manual_seed(0)
    reference = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    initial_state = {k: v.numpy().astype(dtype) for k, v in reference.state_dict().items()}
    order = np.random.default_rng(0).permutation(len(y))
    batches = [order[i:i + 64] for i in range(0, len(y), 64)]

    mine = train(minitorch, x, y, initial_state, batches, dtype)
    theirs = train(torch, x, y, initial_state, batches, dtype)

    np.testing.assert_allclose(mine[0], theirs[0], rtol=rtol)
    np.testing.assert_allclose(mine[1], theirs[1], rtol=rtol)
    for key in theirs[2]:
        np.testing.assert_allclose(mine[2][key], theirs[2][key], rtol=rtol * 10, atol=rtol, err_msg=key)
    assert theirs[1] < 0.5 * theirs[0][0]  # and it did learn: the loss fell by more than half
