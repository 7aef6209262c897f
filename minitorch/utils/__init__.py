"""minitorch.utils: ``minitorch.utils.data`` (Dataset, DataLoader, ...)."""
from . import data  # noqa: F401
