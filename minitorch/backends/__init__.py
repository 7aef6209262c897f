"""minitorch.backends: the switches torch offers for its compute libraries, as far as tutorials use them.

minitorch computes with numpy (and cupy on a GPU): there is no Apple-GPU backend (``mps``) and no
cuDNN. ``torch.backends.mps.is_available()`` is False, as torch's on a machine without an Apple
GPU, and the cuDNN flags that training scripts set (``torch.backends.cudnn.benchmark = True``,
``deterministic = True``) can be set and read, and change nothing.
"""
from . import cudnn, mps  # noqa: F401
