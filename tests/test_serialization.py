"""minitorch.save / load: round trips, safety (no code is ever run), and clear errors on damaged files."""
import collections
import io

import numpy as np
import pytest

import minitorch
from oracle import raises


def round_trip(obj, tmp_path):
    path = tmp_path / "checkpoint.mt"
    minitorch.save(obj, path)
    return minitorch.load(path)


def test_state_dict_round_trip(tmp_path):
    model = minitorch.nn.Sequential(minitorch.nn.Linear(3, 4), minitorch.nn.BatchNorm1d(4))
    loaded = round_trip(model.state_dict(), tmp_path)
    assert isinstance(loaded, collections.OrderedDict) and list(loaded) == list(model.state_dict())
    for key, value in model.state_dict().items():
        assert loaded[key].dtype == value.dtype and loaded[key].shape == value.shape
        np.testing.assert_array_equal(loaded[key].numpy(), value.numpy())
    fresh = minitorch.nn.Sequential(minitorch.nn.Linear(3, 4), minitorch.nn.BatchNorm1d(4))
    fresh.load_state_dict(loaded)
    np.testing.assert_array_equal(fresh[0].weight.detach().numpy(), model[0].weight.detach().numpy())


def test_nested_structures_dtypes_and_flags(tmp_path):
    shared = minitorch.arange(6).view(2, 3)
    obj = {"epoch": 3, "lr": 0.1, "name": "run", "done": False, "none": None, "nan": float("nan"),
           1: [shared, shared, (minitorch.tensor(True), minitorch.zeros((), dtype=minitorch.float64))],
           "param": minitorch.nn.Parameter(minitorch.ones(2)), "grad": minitorch.ones(2, requires_grad=True),
           "half": minitorch.ones(3, dtype=minitorch.float16)}
    loaded = round_trip(obj, tmp_path)
    assert loaded["epoch"] == 3 and loaded["lr"] == 0.1 and loaded["name"] == "run" and loaded["done"] is False
    assert loaded["none"] is None and np.isnan(loaded["nan"])
    first, second, pair = loaded[1]
    assert first is second and first.dtype == minitorch.int64 and first.tolist() == shared.tolist()
    assert isinstance(pair, tuple) and pair[0].item() is True and pair[1].shape == () and pair[1].dtype == \
        minitorch.float64
    assert isinstance(loaded["param"], minitorch.nn.Parameter) and loaded["param"].requires_grad
    assert loaded["grad"].requires_grad and loaded["half"].dtype == minitorch.float16


def test_file_objects_work():
    buffer = io.BytesIO()
    minitorch.save(minitorch.tensor([1.0, 2.0]), buffer)
    buffer.seek(0)
    assert minitorch.load(buffer).tolist() == [1.0, 2.0]


def test_objects_that_are_not_data_are_refused(tmp_path):
    with raises(TypeError, "minitorch.save cannot store an object of type Linear", "model.state_dict()"):
        minitorch.save(minitorch.nn.Linear(2, 2), tmp_path / "model.mt")
    with raises(TypeError, "cannot store an object of type function"):
        minitorch.save({"f": lambda: None}, tmp_path / "f.mt")


def test_damaged_files_raise_clear_errors(tmp_path):
    path = tmp_path / "weights.mt"
    minitorch.save({"w": minitorch.arange(100).float()}, path)
    data = path.read_bytes()
    cases = {
        "truncated.mt": (data[:-10], "truncated or padded"),
        "short.mt": (data[:20], "truncated"),
        "tampered.mt": (data[:-4] + b"\x00\x00\x80\x7f", "checksum mismatch"),
        "pickle.mt": (b"\x80\x04\x95" + data[3:], "not a file written by minitorch.save"),
        "header.mt": (data[:30] + b"]" + data[31:], "header is damaged"),
    }
    for name, (content, message) in cases.items():
        bad = tmp_path / name
        bad.write_bytes(content)
        with raises(RuntimeError, name, message):
            minitorch.load(bad)


def test_map_location(tmp_path):
    loaded = round_trip({"w": minitorch.ones(2)}, tmp_path)
    assert loaded["w"].device.type == "cpu"
    path = tmp_path / "again.mt"
    minitorch.save(loaded, path)
    assert minitorch.load(path, map_location="cpu")["w"].device.type == "cpu"


@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a CUDA GPU and cupy")
def test_cuda_tensors_round_trip(tmp_path):
    path = tmp_path / "gpu.mt"
    minitorch.save({"w": minitorch.ones(2, device="cuda")}, path)
    assert minitorch.load(path)["w"].device.type == "cuda"
    assert minitorch.load(path, map_location="cpu")["w"].device.type == "cpu"
