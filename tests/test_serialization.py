"""minitorch.save / load: round trips, safety (no code is ever run), clear errors on damaged or forged files,
and map_location as torch.load takes it."""
import collections
import hashlib
import io
import json
import struct

import numpy as np
import pytest

import torch

import minitorch
from minitorch.serialization import MAGIC, MAX_DEPTH
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


def two_tensors(tmp_path):
    """A saved file holding a (2, 3) and a (2,) float32 tensor, and its path."""
    path = tmp_path / "weights.mt"
    minitorch.save({"a": minitorch.arange(6).view(2, 3).float(), "b": minitorch.ones(2)}, path)
    return path


def read_header(path):
    """The parsed JSON header and the payload of a saved file, read by hand from the documented layout."""
    data = path.read_bytes()
    prefix = len(MAGIC) + 32 + 16
    header_length, _ = struct.unpack_from("<QQ", data, len(MAGIC) + 32)
    return json.loads(data[prefix:prefix + header_length]), data[prefix + header_length:]


def forge(path, header, payload):
    """Write a file with a correct checksum, whatever its header says: what only a deliberate forger can do."""
    raw = header if isinstance(header, bytes) else json.dumps(header).encode("utf-8")
    rest = struct.pack("<QQ", len(raw), len(payload)) + raw + payload
    path.write_bytes(MAGIC + hashlib.sha256(rest).digest() + rest)


def put(*keys_and_value):
    """An edit of a header: set the field at ``keys`` to ``value``."""
    *keys, value = keys_and_value

    def edit(header):
        target = header
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
        return header
    return edit


TENSOR_A = ("object", "dict", 0, 1)  # where the header describes the tensor stored under "a"


@pytest.mark.parametrize("old, new, message", [
    (b'"shape": [2, 3]', b'"shape": [3, 2]', "checksum mismatch"),
    (b'"offset": 24', b'"offset":  0', "checksum mismatch"),  # two arrays at the same offset
    (b'"tensor": 1', b'"tensor":-1', "checksum mismatch"),
    (b'"dtype": "float32"', b'"dtype": "float64"', "checksum mismatch"),
    (b'"shape": [2, 3]', b'"shape": [2, 3, 1]', "truncated or padded"),  # the header's length changed
])
def test_any_edit_of_the_header_is_caught(tmp_path, old, new, message):
    path = two_tensors(tmp_path)
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    with raises(RuntimeError, str(path), message):
        minitorch.load(path)


def test_damaged_files_raise_clear_errors(tmp_path):
    path = tmp_path / "weights.mt"
    minitorch.save({"w": minitorch.arange(100).float()}, path)
    data = path.read_bytes()
    cases = {
        "truncated.mt": (data[:-10], "truncated or padded"),
        "padded.mt": (data + b"\x00", "truncated or padded"),
        "short.mt": (data[:20], "truncated: the file is 20 bytes"),
        "cut_magic.mt": (data[:5], "truncated: the file is 5 bytes"),
        "tampered.mt": (data[:-4] + b"\x00\x00\x80\x7f", "checksum mismatch"),
        "header.mt": (data[:70] + b"]" + data[71:], "checksum mismatch"),
        "pickle.mt": (b"\x80\x04\x95" + data[3:], "not a file written by minitorch.save"),
        "format1.mt": (b"MINITORCH1\n" + data[len(MAGIC):], "written in another format of minitorch.save"),
    }
    for name, (content, message) in cases.items():
        bad = tmp_path / name
        bad.write_bytes(content)
        with raises(RuntimeError, name, message):
            minitorch.load(bad)


@pytest.mark.parametrize("edit, message", [
    (put("arrays", 1, "offset", 0), "array 1: offset 0 should be 24, where the previous array ends"),
    (put("arrays", 0, "offset", 1000), "array 0: offset 1000 should be 0"),
    (put(*TENSOR_A, "tensor", -1), "a tensor refers to array -1, but the header lists arrays 0 to 1"),
    (put(*TENSOR_A, "tensor", 2), "refers to array 2"),
    (put(*TENSOR_A, "tensor", True), "refers to array True"),
    (put("object", "dict", 1, 1, "tensor", 0), "the header lists 2 arrays, but the structure uses 1"),
    (put("arrays", 0, "dtype", "object"), "array 0: dtype 'object' is not one of bool, uint8"),
    (put("arrays", 0, "dtype", "os.system"), "dtype 'os.system' is not one of"),
    (put("arrays", 0, "dtype", 7), "dtype 7 is not one of"),
    (put("arrays", 0, "shape", [-2, -3]), "array 0: shape [-2, -3] should be a list of at most 64 non-negative"),
    (put("arrays", 0, "shape", "2x3"), "shape '2x3' should be a list"),
    (put("arrays", 0, "shape", [2.0, 3]), "shape [2.0, 3] should be a list"),
    (put("arrays", 0, "shape", [1] * 65), "at most 64"),
    (put("arrays", 0, "shape", [3, 3]), "array 0: nbytes 24 should be 36 for shape [3, 3] of float32"),
    (put("arrays", 0, "nbytes", 24.0), "nbytes 24.0 should be 24"),
    (put("arrays", 1, "shape", [20]), "array 1: nbytes 8 should be 80"),
    (lambda header: put("arrays", 1, "nbytes", 80)(put("arrays", 1, "shape", [20])(header)),
     "array 1: its bytes 24 to 104 lie beyond the 32 bytes"),
    (lambda header: put("arrays", 1, "nbytes", 4)(put("arrays", 1, "dtype", "float16")(header)),
     "the arrays fill 28 bytes, but the file holds 32 bytes"),
    (put("arrays", {}), "the header's 'arrays' should be a list, found a dict"),
    (put("arrays", 0, "extra", 1), "array 0 should be a JSON object with the keys ['dtype', 'nbytes', 'offset', "
                                   "'shape'], found keys ['dtype', 'extra', 'nbytes', 'offset', 'shape']"),
    (lambda header: [header], "the header should be a JSON object with the keys ['arrays', 'object'], found a list"),
    (lambda header: {"object": header["object"]}, "found keys ['object']"),
    (put("object", {"function": "os.system"}), "each node of the structure should be a JSON object with one of "
                                               "the keys ['tensor', 'value', 'dict', 'list', 'tuple']"),
    (put("object", {"list": [], "tuple": []}), "one of the keys"),
    (put("object", "dict", 0, [{"value": "a"}]), "a dict's item should be a [key, value] pair"),
    (put("object", "dict", 0, 0, {"list": []}), "a dict key is a list"),
    (put("object", "dict", 0, 0, {"tuple": [{"dict": [], "ordered": False}]}), "a dict key is a tuple"),
    (put("object", "ordered", "no"), "a dict's 'ordered' should be true or false, found 'no'"),
    (put("object", "dict", {}), "a dict's items should be a list, found a dict"),
    (put("object", "dict", 0, 0, "value", [1]), "a value should be a number, a string, true, false or null"),
    (put(*TENSOR_A, "device", "gpu"), "a tensor's device 'gpu' is not a device"),
    (put(*TENSOR_A, "device", 0), "a tensor's device should be a string such as 'cpu', found 0"),
    (put(*TENSOR_A, "requires_grad", "yes"), "array 0's requires_grad and parameter should be true or false"),
    (lambda header: put(*TENSOR_A, "requires_grad", True)(put("arrays", 0, "dtype", "int32")(header)),
     "array 0 is int32, but requires_grad is true"),
    (lambda header: {**header, "object": {"list": [header["object"]]}}, None),  # a valid forgery loads
])
def test_forged_headers_are_checked_field_by_field(tmp_path, edit, message):
    path = two_tensors(tmp_path)
    header, payload = read_header(path)
    forged = tmp_path / "forged.mt"
    forge(forged, edit(header), payload)
    if message is None:
        assert minitorch.load(forged)[0]["a"].shape == (2, 3)
        return
    with raises(RuntimeError, "forged.mt: ", message):
        minitorch.load(forged)


def test_a_forged_header_that_is_not_json_or_too_deep_is_refused(tmp_path):
    path = tmp_path / "forged.mt"
    for raw, message in [(b"\xff\xfe", "not valid JSON"), (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
                         (b'{"object": {"value": 1' + b"0" * 5000 + b'}, "arrays": []}', "not valid JSON")]:
        forge(path, raw, b"")
        with raises(RuntimeError, "forged.mt: ", message):
            minitorch.load(path)
    deep = {"value": 1}
    for _ in range(MAX_DEPTH + 1):
        deep = {"list": [deep]}
    forge(path, {"object": deep, "arrays": []}, b"")
    with raises(RuntimeError, "forged.mt: ", f"the structure is nested more than {MAX_DEPTH} levels deep"):
        minitorch.load(path)


def test_whatever_save_nests_loads_and_deeper_is_refused_at_save(tmp_path):
    deep_lists, deep_dicts = minitorch.ones(1), "leaf"
    for _ in range(MAX_DEPTH):
        deep_lists, deep_dicts = [deep_lists], {"k": (deep_dicts,)}
    loaded = round_trip(deep_lists, tmp_path)
    for _ in range(MAX_DEPTH):
        loaded = loaded[0]
    assert loaded.tolist() == [1.0]
    with raises(ValueError, f"cannot store dicts/lists/tuples nested more than {MAX_DEPTH} levels deep"):
        minitorch.save([deep_lists], tmp_path / "deeper.mt")
    with raises(ValueError, f"nested more than {MAX_DEPTH} levels deep"):
        minitorch.save(deep_dicts, tmp_path / "dicts.mt")  # each level is a dict and a tuple
    itself = []
    itself.append(itself)
    with raises(ValueError, "does a list or dict contain itself?"):
        minitorch.save(itself, tmp_path / "loop.mt")


def test_map_location_device_or_string(tmp_path):
    loaded = round_trip({"w": minitorch.ones(2)}, tmp_path)
    assert loaded["w"].device.type == "cpu"
    path = tmp_path / "again.mt"
    minitorch.save(loaded, path)
    assert minitorch.load(path, map_location="cpu")["w"].device.type == "cpu"
    assert minitorch.load(path, map_location=minitorch.device("cpu"))["w"].device.type == "cpu"
    with raises(RuntimeError, "Expected one of cpu, cuda device type at start of device string: gpu"):
        minitorch.load(path, map_location="gpu")
    with raises(TypeError, "map_location should be a device, a string, a dict or a function, got int"):
        minitorch.load(path, map_location=0)


def calls_of_map_location(lib, path):
    """What ``lib.load`` passes to a map_location function, for a dict holding one tensor twice and another."""
    shared = lib.ones(2)
    lib.save({"a": shared, "b": shared, "c": lib.zeros(3, requires_grad=True)}, path)
    calls = []
    loaded = lib.load(path, map_location=lambda storage, location: calls.append(location))
    return calls, loaded


def test_map_location_function_is_called_as_torch_calls_it(tmp_path):
    mine, loaded = calls_of_map_location(minitorch, tmp_path / "mine.mt")
    theirs, _ = calls_of_map_location(torch, tmp_path / "theirs.pt")
    assert mine == theirs == ["cpu", "cpu"]  # once per stored tensor, with its saved location
    assert loaded["a"] is loaded["b"] and loaded["c"].requires_grad and loaded["c"].device.type == "cpu"
    seen = []
    kept = minitorch.load(tmp_path / "mine.mt", map_location=lambda storage, location: seen.append(storage) or
                          storage)
    assert all(isinstance(t, minitorch.Tensor) and t.device.type == "cpu" for t in seen)
    assert kept["a"] is seen[0] and kept["c"].requires_grad
    with raises(TypeError, "map_location's function should return a Tensor (or None to keep the saved location "
                           "'cpu'), but it returned a int"):
        minitorch.load(tmp_path / "mine.mt", map_location=lambda storage, location: 3)


def saved_on_cuda(tmp_path):
    """A file whose tensor says it was saved from cuda:0 (forged, so that it can be made without a GPU)."""
    path = tmp_path / "gpu.mt"
    minitorch.save({"w": minitorch.nn.Parameter(minitorch.ones(2))}, path)
    header, payload = read_header(path)
    forge(path, put("object", "dict", 0, 1, "device", "cuda:0")(header), payload)
    return path


def test_map_location_dict_and_function_move_cuda_tensors_to_the_cpu(tmp_path):
    path = saved_on_cuda(tmp_path)
    loaded = minitorch.load(path, map_location={"cuda:0": "cpu"})["w"]
    assert loaded.device.type == "cpu" and isinstance(loaded, minitorch.nn.Parameter) and loaded.requires_grad
    locations = []
    loaded = minitorch.load(path, map_location=lambda storage, location: locations.append(location) or storage)
    assert locations == ["cuda:0"] and loaded["w"].device.type == "cpu"


@pytest.mark.skipif(minitorch.cuda.is_available(), reason="checks the message shown on a machine without CUDA")
def test_cuda_tensors_on_a_machine_without_cuda_say_to_use_map_location(tmp_path):
    path = saved_on_cuda(tmp_path)
    for map_location in (None, {"cuda:1": "cpu"}, lambda storage, location: None):
        with raises(RuntimeError, "Attempting to deserialize object on a CUDA device", "map_location='cpu'"):
            minitorch.load(path, map_location=map_location)


@pytest.mark.skipif(not minitorch.cuda.is_available(), reason="needs a CUDA GPU and cupy")
def test_cuda_tensors_round_trip(tmp_path):
    path = tmp_path / "gpu.mt"
    minitorch.save({"w": minitorch.ones(2, device="cuda")}, path)
    assert minitorch.load(path)["w"].device.type == "cuda"
    assert minitorch.load(path, map_location="cpu")["w"].device.type == "cpu"
    assert minitorch.load(path, map_location={"cuda:0": "cpu"})["w"].device.type == "cpu"
    assert minitorch.load(path, map_location=lambda storage, location: None)["w"].device.type == "cuda"
    minitorch.save({"w": minitorch.ones(2)}, path)
    assert str(minitorch.load(path, map_location={"cpu": "cuda:0"})["w"].device) == "cuda:0"
