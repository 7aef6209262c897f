"""show_graph: draw a tensor's autograd graph inline, as SVG (no graphviz needed).

The graph is what backward walks: start at ``tensor.grad_fn`` and follow ``next_functions``;
each entry is ``(node, output_number)``, ``None`` for inputs that need no gradient. A node is the
``ctx`` of the Function that ran (``node.name()`` is e.g. ``MulBackward0``); the leaves are
``AccumulateGrad`` nodes, whose ``.variable`` is the leaf tensor that receives ``.grad``.

Leaves are drawn at the top and the output at the bottom, so the forward pass reads downwards
and backward runs up the arrows. Each box shows the op, the shape of the tensor it produced
and, for leaves, the gradient once ``backward()`` has run.
"""
import html

from ..autograd.engine import _topological_order
from ..autograd.function import AccumulateGrad
from .._tensor import Tensor

CHAR_WIDTH, LINE_HEIGHT, GAP_X, GAP_Y, PAD = 7.2, 15, 24, 46, 6


def _short(tensor, limit=4):
    """Values of a small tensor, else its shape and norm: what fits in a box."""
    if tensor.numel() <= limit:
        return str([round(v, 4) for v in tensor.detach().cpu().reshape(-1).tolist()])
    return f"norm {float(tensor.detach().cpu().double().norm()):.4g}"


class Graph:
    """The drawn graph: ``nodes`` (dicts with id, op, shape, grad, leaf), ``edges`` ((child id,
    parent id): the child's output feeds the parent), and ``svg``. Displays itself in Jupyter."""

    def __init__(self, tensor, names=None):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"show_graph expects a minitorch Tensor, got {type(tensor).__name__}")
        self.names = {id(t): name for name, t in (names or {}).items()}
        self.nodes, self.edges = [], []
        root = tensor.grad_fn
        if root is None and tensor.requires_grad:
            root = tensor._accumulator or AccumulateGrad(tensor)
        self.note = "" if root is not None else (
            "This tensor has no graph: it does not require grad. Create the leaves with requires_grad=True "
            "(and compute outside no_grad) to record one.")
        if root is not None:
            self._walk(root, tuple(tensor.shape))
        self.svg = self._draw()

    def _walk(self, root, root_shape):
        """Number the nodes in the order backward visits them; find each one's shape and depth."""
        order = _topological_order([root])
        ids = {node: i for i, node in enumerate(order)}
        shapes, depth = {root: root_shape}, {root: 0}
        for node in order:  # every node comes before the nodes it sends gradients to
            meta = getattr(node, "_input_meta", ())
            for i, (child, _) in enumerate(node.next_functions):
                if child is None:
                    continue
                depth[child] = max(depth.get(child, 0), depth[node] + 1)
                shapes.setdefault(child, tuple(meta[i][0]) if i < len(meta) and meta[i] else None)
                if (ids[child], ids[node]) not in self.edges:
                    self.edges.append((ids[child], ids[node]))
        self.nodes = [self._describe(i, node, shapes.get(node), depth[node]) for i, node in enumerate(order)]

    def _describe(self, index, node, shape, depth):
        if isinstance(node, AccumulateGrad):
            leaf = node.variable
            grad = None if leaf.grad is None else _short(leaf.grad)
            name = self.names.get(id(leaf), "leaf")
            return dict(id=index, op=f"{name} (AccumulateGrad)", shape=tuple(leaf.shape), grad=grad, leaf=True,
                        depth=depth)
        return dict(id=index, op=node.name(), shape=shape, grad=None, leaf=False, depth=depth)

    # ------------------------------------------------------------------ drawing
    def _lines(self, node):
        lines = [node["op"], f"shape {list(node['shape']) if node['shape'] is not None else '?'}"]
        if node["leaf"]:
            lines.append(f"grad {node['grad']}" if node["grad"] else "grad: None (no backward yet)")
        return lines

    def _draw(self):
        if not self.nodes:
            return (f"<svg xmlns='http://www.w3.org/2000/svg' width='640' height='40'><text x='6' y='24' "
                    f"font-family='sans-serif' font-size='13'>{html.escape(self.note)}</text></svg>")
        levels = max(n["depth"] for n in self.nodes) + 1
        rows = [[n for n in self.nodes if n["depth"] == d] for d in range(levels)]
        boxes = {}
        height_box = 3 * LINE_HEIGHT + 2 * PAD
        width = 0
        for d, row in enumerate(rows):
            x, y = GAP_X, GAP_X + (levels - 1 - d) * (height_box + GAP_Y)
            for n in row:
                w = max(len(s) for s in self._lines(n)) * CHAR_WIDTH + 2 * PAD
                boxes[n["id"]] = (x, y, w, height_box)
                x += w + GAP_X
            width = max(width, x)
        height = GAP_X * 2 + levels * height_box + (levels - 1) * GAP_Y
        parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
                 "font-family='monospace' font-size='12'>",
                 "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' "
                 "orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker></defs>"]
        for child, parent in self.edges:
            cx, cy, cw, ch = boxes[child]
            px, py, pw, _ = boxes[parent]
            parts.append(f"<line x1='{cx + cw / 2:.1f}' y1='{cy + ch:.1f}' x2='{px + pw / 2:.1f}' y2='{py:.1f}' "
                         "stroke='#555' marker-end='url(#arrow)'/>")
        for n in self.nodes:
            x, y, w, h = boxes[n["id"]]
            fill = "#dbeafe" if n["leaf"] else ("#fde68a" if n["depth"] == 0 else "#f3f4f6")
            parts.append(f"<rect x='{x:.1f}' y='{y:.1f}' width='{w:.1f}' height='{h:.1f}' rx='5' fill='{fill}' "
                         "stroke='#333'/>")
            for i, line in enumerate(self._lines(n)):
                parts.append(f"<text x='{x + PAD:.1f}' y='{y + PAD + (i + 0.8) * LINE_HEIGHT:.1f}'>"
                             f"{html.escape(line)}</text>")
        parts.append("</svg>")
        return "".join(parts)

    def _repr_html_(self):
        caption = ("<div style='font:12px sans-serif;color:#555'>forward runs down the arrows; backward runs "
                   "up them (yellow: the output, blue: leaves, which receive .grad)</div>")
        return f"<div style='overflow:auto'>{self.svg}{caption if self.nodes else ''}</div>"


def show_graph(tensor, names=None):
    """The autograd graph that produced ``tensor``, drawn inline. ``names``: {"w": w, ...} labels leaves."""
    return Graph(tensor, names)
