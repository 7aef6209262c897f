"""The backward engine: walk the graph from the outputs back to the leaves, applying the chain rule.

1. Sort the graph's nodes so every node comes before the nodes of its inputs (an iterative
   depth-first search: a 100,000-op chain needs no recursion).
2. Seed the outputs with their gradient (1 for a scalar loss).
3. Visit the nodes in that order. Each node's incoming gradients are summed (``+``: a tensor
   used twice gets both contributions), its Function's ``backward`` turns them into gradients
   for its inputs, and those are passed on along ``next_functions``.
4. At a leaf (an ``AccumulateGrad`` node) the gradient is added into ``leaf.grad``.

After a node has run, what it saved is freed unless ``retain_graph=True``: memory does not
grow over a training loop, and a second backward through the same graph raises.
"""
import sys

from .._backend import array_module
from .._tensor import Tensor, complex_autograd_message
from .anomaly_mode import _AnomalyMode, check_gradients
from .function import AccumulateGrad, _accumulator
from .grad_mode import _GradMode


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into ``leaf.grad`` for every leaf (or only for ``inputs``)."""
    tensors = _as_tuple(tensors)
    grads = _initial_grads(tensors, grad_tensors)
    targets = None
    if inputs is not None:
        targets = _as_tuple(inputs)
        if not targets:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    _run_backward(tensors, grads, create_graph if retain_graph is None else retain_graph,
                  create_graph, targets, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         is_grads_batched=False, materialize_grads=False):
    """Return d(outputs)/d(inputs) as a tuple, without touching any ``.grad``."""
    if is_grads_batched:
        raise NotImplementedError("minitorch.autograd.grad does not support is_grads_batched")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"One of the differentiated Tensors (input {i}) does not require grad")
    grads = _initial_grads(outputs, grad_outputs)
    found = _run_backward(outputs, grads, create_graph if retain_graph is None else retain_graph,
                          create_graph, inputs, accumulate=False)
    result = []
    for i, t in enumerate(inputs):
        g = found.get(i)
        if g is None and materialize_grads:
            g = Tensor._make(t.array * 0)
        elif g is None and not (allow_unused or materialize_grads):
            raise RuntimeError(f"One of the differentiated Tensors (input {i}, shape {list(t.shape)}) appears to not "
                               "have been used in the graph. Set allow_unused=True if this is the desired behavior.")
        result.append(g)
    return tuple(result)


def _as_tuple(x):
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _initial_grads(outputs, grad_outputs):
    """The seed gradients: given ones, checked against each output's shape, or 1 for scalars."""
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,) * len(outputs) if grad_outputs is None else (grad_outputs,)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(grad_outputs)} gradients for {len(outputs)} outputs")
    seeds = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn. "
                               "Did you create the leaf tensors with requires_grad=True, or compute this "
                               "inside torch.no_grad()?")
        if g is None:
            if out.array.size != 1:
                raise RuntimeError(f"grad can be implicitly created only for scalar outputs (this output has "
                                   f"shape {list(out.shape)}); pass gradient=torch.ones_like(output) or reduce "
                                   "it first, e.g. output.sum().backward()")
            g = Tensor._make(array_module(out.array).ones(out.array.shape, out.array.dtype))  # 1, even if out is inf
        elif tuple(g.shape) != tuple(out.shape):
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                               f"has a shape of {out.shape}.")
        seeds.append(g)
    return seeds


def _topological_order(roots):
    """Nodes reachable from ``roots``, each before all the nodes it sends gradients to."""
    order, visited = [], set()
    stack = [(node, False) for node in roots]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            order.append(node)
            continue
        if node in visited:
            continue
        visited.add(node)
        stack.append((node, True))
        for child, _ in node.next_functions:
            if child is None or child in visited:
                continue
            if child.next_functions:
                stack.append((child, False))
            else:  # a leaf's node (no inputs of its own) is finished as soon as it is found
                visited.add(child)
                order.append(child)
    order.reverse()
    return order


def _leading_to(order, target_nodes):
    """The nodes that must run to get gradients to ``target_nodes`` (None: every node must run)."""
    if target_nodes is None:
        return None
    leads = set()
    for node in reversed(order):
        if any(child in leads or child in target_nodes for child, _ in node.next_functions):
            leads.add(node)
    return leads


def _run_backward(outputs, seeds, retain_graph, create_graph, targets, accumulate):
    """The engine loop (see module doc). Returns {index in targets: gradient} for captured targets."""
    buffers = {}
    for out, seed in zip(outputs, seeds):
        node = out.grad_fn if out.grad_fn is not None else _accumulator(out)
        _add_to_buffer(buffers, node, out._output_nr, seed)
    target_nodes = None
    if targets is not None:
        target_nodes = {}
        for i, t in enumerate(targets):
            node = t.grad_fn if t.grad_fn is not None else _accumulator(t)
            target_nodes.setdefault(node, []).append((t._output_nr if t.grad_fn is not None else 0, i, t))
    order = _topological_order(list(buffers))
    must_run = _leading_to(order, target_nodes)
    found = {}
    grad_was_enabled = _GradMode.enabled
    _GradMode.enabled = create_graph
    try:
        for node in order:
            grads = buffers.pop(node, None)
            if grads is None:
                continue
            if (node.variable._hooks if type(node) is AccumulateGrad else node._output_hooks):
                grads = _apply_hooks(node, grads)
            if target_nodes is not None and node in target_nodes:
                for nr, i, tensor in target_nodes[node]:
                    found[i] = grads[nr]
                    if accumulate and grads[nr] is not None:
                        _accumulate(tensor, grads[nr], create_graph)
            if type(node) is AccumulateGrad:
                if target_nodes is None and accumulate:
                    _accumulate(node.variable, grads[0], create_graph, may_steal=True)
                continue
            if must_run is None or node in must_run:
                _run_node(node, grads, buffers, retain_graph)
    finally:
        _GradMode.enabled = grad_was_enabled
    return found


def _apply_hooks(node, grads):
    """Tensor hooks: a leaf's run before accumulation; a non-leaf's on its node, and retain_grad's
    last of all (so ``.grad`` keeps what the other hooks made of the gradient, as in torch)."""
    if isinstance(node, AccumulateGrad):
        for hook in node.variable._hooks or ():
            grads = [_hooked(hook, grads[0])]
        return grads
    if node._output_hooks:
        grads = list(grads)
        for nr, hooks in node._output_hooks.items():
            for hook, retains in sorted(hooks, key=lambda entry: entry[1]):  # (retain_grad's after the others)
                if grads[nr] is None:
                    continue
                new = _hooked(hook, grads[nr])
                if not retains:
                    grads[nr] = new
    return grads


def _hooked(hook, grad):
    """What ``hook`` makes of ``grad``: its result, or ``grad`` when it returns None; it may not change the shape."""
    new = hook(grad)
    if new is None:
        return grad
    if isinstance(new, Tensor) and new.shape != grad.shape:
        raise RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' has changed the size of value (from "
                           f"{list(grad.shape)} to {list(new.shape)}: a hook must return a gradient of the same shape)")
    return new


def _run_node(node, grads, buffers, retain_graph):
    """Call the node's backward and route each input gradient to the next node."""
    if node._complex_output:
        raise NotImplementedError(complex_autograd_message(f"{node.name()} has a complex result"))
    if node._output_meta and node.materialize_grads:
        grads = [_zeros(meta, grads) if g is None and meta else g for g, meta in zip(grads, node._output_meta)]
    input_grads = node._function.backward(node, *grads)
    if _AnomalyMode.enabled and _AnomalyMode.check_nan:
        check_gradients(node, input_grads if type(input_grads) is tuple else (input_grads,))
    if not retain_graph:
        node._saved = None
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    if len(input_grads) != len(node.next_functions):
        _check_gradient_count(node, input_grads)  # (extra gradients, all None, are ignored)
    for i, ((child, nr), g, meta) in enumerate(zip(node.next_functions, input_grads, node._input_meta)):
        if child is None or g is None:
            continue
        if type(g) is not Tensor or g.array.shape != meta[0] or g.array.dtype != meta[1]:
            g = _validate(node, i, g)
        _add_to_buffer(buffers, child, nr, g)


def _check_gradient_count(node, input_grads):
    n_inputs = len(node.next_functions)
    if len(input_grads) < n_inputs or any(g is not None for g in input_grads[n_inputs:]):
        raise RuntimeError(f"function {node.name()} returned an incorrect number of gradients "
                           f"(expected {n_inputs}, got {len(input_grads)})")


def _validate(node, index, g):
    """The gradient for an input must have the input's shape; it is cast to the input's dtype."""
    if not isinstance(g, Tensor):  # (a Tensor subclass such as a Parameter is fine)
        raise TypeError(f"function {node.name()} returned a gradient of type {type(g).__name__} at index {index}; "
                        "backward must return Tensors (or None)")
    shape, dtype = node._input_meta[index]
    if g.array.shape != shape:
        raise RuntimeError(f"Function {node.name()} returned an invalid gradient at index {index} - got "
                           f"{list(g.array.shape)} but expected shape compatible with {list(shape)}")
    if g.array.dtype != dtype:
        g = g.to(dtype)
    return g


def _add_to_buffer(buffers, node, nr, g):
    """Sum the gradients arriving at output ``nr`` of ``node`` (a sum is a fresh tensor)."""
    buf = buffers.get(node)
    if buf is None:
        buf = buffers[node] = [None] * (len(node._output_meta) or 1)  # (_output_meta is kept for 2+ outputs)
    buf[nr] = g if buf[nr] is None else buf[nr] + g


def _zeros(meta, grads):
    """A zero gradient for an output that received none (``materialize_grads``)."""
    shape, dtype = meta
    like = next(g for g in grads if g is not None).array
    return Tensor._make(array_module(like).zeros(shape, dtype=dtype))


def _accumulate(leaf, g, create_graph, may_steal=False):
    """leaf.grad += g.

    The first gradient becomes ``leaf.grad`` without a copy when nothing else can see its memory (as
    torch's AccumulateGrad "steals" it): ``may_steal`` (the engine's own call), the tensor owns its
    array, and that array and the tensor are referenced from nowhere else (a reference count says
    so: a tensor the caller or a hook kept, or one sent to two inputs, is referenced twice). Otherwise
    it is copied, so that no two tensors ever share the memory of a ``.grad`` that later backward
    passes add into.
    """
    if leaf._grad is None:
        if create_graph:
            leaf._grad = g
        elif may_steal and _unshared(g) and not g.requires_grad and g._base is None:
            leaf._grad = g  # nothing else sees it: the gradient tensor itself becomes .grad
        else:
            leaf._grad = Tensor._make(g.array.copy())
    elif create_graph or leaf._grad.requires_grad:
        leaf._grad = leaf._grad + g
    else:
        leaf._grad.array += g.array


def _unshared(g):
    """True when only ``g`` refers to its array and only the engine refers to ``g``.
    (The counts include the references held by this call and by _accumulate's caller.)"""
    array = g.array
    return array.base is None and sys.getrefcount(array) == 3 and sys.getrefcount(g) <= _ENGINE_REFERENCES


_ENGINE_REFERENCES = 4  # the caller's list, _accumulate's argument, _unshared's argument, getrefcount's argument
