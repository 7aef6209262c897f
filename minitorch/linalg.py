"""minitorch.linalg: linear algebra with torch's names (norms so far; see issue 3)."""
from ._functions.reduce import vector_norm

__all__ = ["vector_norm"]
