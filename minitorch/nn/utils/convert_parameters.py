"""A model's parameters as one flat vector, and back: handy for methods that see the model as a
point in R^n (line searches, evolution strategies, second-order methods, weight averaging).

    vec = parameters_to_vector(model.parameters())     # (n,), differentiable
    vector_to_parameters(vec * 0.5, model.parameters())  # write a vector back into the model
"""
from ..._functions.shape import cat
from ..._tensor import Tensor
from ..._tensor import type_name

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def _check_same_device(param, device):
    """The device of the first parameter; a later parameter on another device is an error (as torch)."""
    if device is not None and param.device != device:
        raise TypeError("Found two parameters on different devices, this is currently not supported. "
                        f"(a parameter on {param.device} after one on {device}: move the model with .to())")
    return param.device


def parameters_to_vector(parameters):
    """All ``parameters`` flattened and joined, in order, into one vector.

    Built with view(-1) and cat, so it stays in the graph: the gradient of anything computed from
    the vector flows back to the parameters (each one receives its own slice of the vector's gradient).
    """
    device, pieces = None, []
    for param in parameters:
        device = _check_same_device(param, device)
        pieces.append(param.view(-1))
    if not pieces:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors (parameters_to_vector got no "
                         "parameters: an exhausted model.parameters() generator?)")
    return cat(pieces)


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of ``vec`` into ``parameters``, each reshaped to its parameter's shape.

    As torch, this sets ``param.data`` (no graph is recorded): each parameter then shares memory with
    its slice of ``vec``, and takes ``vec``'s dtype.
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type_name(vec)}")
    device, pointer = None, 0
    for param in parameters:
        device = _check_same_device(param, device)
        count = param.numel()
        param.data = vec[pointer:pointer + count].view_as(param).data
        pointer += count
