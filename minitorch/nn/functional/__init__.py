"""torch.nn.functional: every layer, activation and loss as a plain function (no parameters held).

``import minitorch.nn.functional as F`` then ``F.relu(x)``, ``F.linear(x, w, b)``,
``F.cross_entropy(logits, target)``... Each name lives in the file of its family.
"""
from .activation import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .distance import *  # noqa: F401,F403
from .fold import *  # noqa: F401,F403
from .layers import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .padding import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .upsampling import *  # noqa: F401,F403
