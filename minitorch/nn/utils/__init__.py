"""torch.nn.utils: helpers that work on a model's parameters rather than on activations.

    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)   # tame exploding gradients
    optimizer.step()

- clip_grad.py: clip_grad_norm_ (scale all gradients together), clip_grad_value_ (clamp each element),
  and the two halves of clip_grad_norm_, get_total_norm and clip_grads_with_norm_.
- convert_parameters.py: parameters_to_vector and vector_to_parameters (a model as one flat vector).
"""
from .clip_grad import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm  # noqa: F401
from .convert_parameters import parameters_to_vector, vector_to_parameters  # noqa: F401
from . import rnn  # noqa: F401

__all__ = ["clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm", "parameters_to_vector",
           "vector_to_parameters"]
