"""minitorch.viz.show_graph and show_tensor: what they draw is the graph and the memory layout."""
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import minitorch  # noqa: E402
from minitorch import viz  # noqa: E402


def _graph():
    w = minitorch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    b = minitorch.tensor(0.25, requires_grad=True)
    x = minitorch.tensor([2.0, 1.0, -1.0])
    loss = ((w * x).sum() + b).exp()
    return w, b, loss


def test_graph_nodes_ops_shapes_and_edges():
    w, b, loss = _graph()
    g = viz.show_graph(loss, names={"w": w, "b": b})
    ops = {n["op"]: n for n in g.nodes}
    assert set(ops) == {"ExpBackward0", "AddBackward0", "SumBackward0", "MulBackward0", "w (AccumulateGrad)",
                        "b (AccumulateGrad)"}
    assert ops["ExpBackward0"]["depth"] == 0 and ops["MulBackward0"]["shape"] == (3,)
    assert ops["SumBackward0"]["shape"] == () and ops["w (AccumulateGrad)"]["shape"] == (3,)
    by_id = {n["id"]: n["op"] for n in g.nodes}
    edges = {(by_id[c], by_id[p]) for c, p in g.edges}
    assert edges == {("AddBackward0", "ExpBackward0"), ("SumBackward0", "AddBackward0"),
                     ("b (AccumulateGrad)", "AddBackward0"), ("MulBackward0", "SumBackward0"),
                     ("w (AccumulateGrad)", "MulBackward0")}
    assert all(n["depth"] > ops["AddBackward0"]["depth"] for n in g.nodes if n["leaf"])
    assert "MulBackward0" in g.svg and g.svg.startswith("<svg") and "<svg" in g._repr_html_()


def test_graph_shows_leaf_gradients_after_backward():
    w, b, loss = _graph()
    assert all(n["grad"] is None for n in viz.show_graph(loss).nodes if n["leaf"])
    loss.backward()
    g = viz.show_graph(loss, names={"w": w, "b": b})
    grads = {n["op"]: n["grad"] for n in g.nodes if n["leaf"]}
    expected_w = [round(v, 4) for v in (loss.detach() * minitorch.tensor([2.0, 1.0, -1.0])).tolist()]
    assert grads["w (AccumulateGrad)"] == str(expected_w)
    assert grads["b (AccumulateGrad)"] == str([round(loss.item(), 4)])


def test_graph_of_a_shared_input_has_one_node_and_both_edges():
    x = minitorch.tensor([1.0, 2.0], requires_grad=True)
    g = viz.show_graph((x * x).sum())
    assert sum(n["leaf"] for n in g.nodes) == 1 and len(g.edges) == 2


def test_graph_without_grad_says_so():
    g = viz.show_graph(minitorch.ones(3) * 2)
    assert g.nodes == [] and "does not require grad" in g.svg
    with pytest.raises(TypeError, match="expects a minitorch Tensor, got list"):
        viz.show_graph([1, 2])


def test_tensor_layout_of_views_shares_storage():
    x = minitorch.arange(12.0).view(3, 4)
    layout = viz.show_tensor(x, x.t(), x[1:, ::2], names=["x", "x.t()", "x[1:, ::2]"])
    base, transposed, sliced = layout.tensors
    assert base["stride"] == (4, 1) and base["contiguous"]
    assert transposed["stride"] == (1, 4) and not transposed["contiguous"]
    assert transposed["positions"].tolist() == base["positions"].T.tolist()
    assert sliced["offset"] == 4 and sliced["positions"].tolist() == [[4, 6], [8, 10]]
    assert layout.shared and "share one storage" in layout.svg
    assert "NOT contiguous" in layout.svg and "x.t()" in layout._repr_html_()


def test_tensor_layout_of_a_copy_does_not_share():
    x = minitorch.arange(6.0).view(2, 3)
    assert not viz.show_tensor(x, x.t().contiguous()).shared
    assert viz.show_tensor(minitorch.tensor(3.0)).tensors[0]["positions"].tolist() == 0


def test_tensor_layout_refuses_what_it_cannot_draw():
    with pytest.raises(ValueError, match="up to 96 elements.*shape \\[20, 20\\]"):
        viz.show_tensor(minitorch.zeros(20, 20))
    with pytest.raises(TypeError, match="got ndarray"):
        viz.show_tensor(minitorch.zeros(2).numpy())
