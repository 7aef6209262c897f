"""The random number generator behind rand, randn, randint, dropout, shuffling...

One global numpy Generator, reseeded by ``manual_seed``: the same seed gives the same numbers
on every run. Numbers are drawn on the CPU and then moved to the tensor's device, so a seeded
program gives the same values on CPU and GPU. (They are not torch's numbers: torch uses
another algorithm.)
"""
import numpy as np

_state = {"seed": 0, "generator": None}  # created on first use: importing numpy.random is slow


def manual_seed(seed):
    """Reseed the global generator, e.g. ``minitorch.manual_seed(0)`` at the top of a notebook."""
    seed = int(seed)
    _state["seed"] = seed
    _state["generator"] = np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)
    return Generator._global()


def seed():
    """Reseed from the operating system's entropy and return the new seed."""
    new = int(np.random.SeedSequence().entropy) & 0xFFFF_FFFF_FFFF_FFFF
    manual_seed(new)
    return new


def initial_seed():
    return _state["seed"]


def generator(gen=None, caller=None):
    """The numpy Generator to draw from: the given minitorch Generator's, or the global one.
    ``caller`` (e.g. "rand") names the function in the error a wrong ``generator=`` gets."""
    if gen is not None:
        if not isinstance(gen, Generator):
            where = f"{caller}(): " if caller else ""
            raise TypeError(f"{where}argument 'generator' must be torch.Generator, not {type(gen).__name__} "
                            "(make one with torch.Generator().manual_seed(seed))")
        return gen._rng
    if _state["generator"] is None:
        manual_seed(_state["seed"])
    return _state["generator"]


# The names of torch's kernels, as its errors give them.
UNIFORM, NORMAL, BERNOULLI = "check_uniform_bounds", "normal_kernel_cpu", "bernoulli_tensor_cpu_p_"


def check_floating(dtype, kernel, hint=None):
    """rand, randn, normal... draw real numbers: torch refuses an integer or bool dtype (rather than
    truncate every draw, e.g. rand's to 0), and so do we, naming torch's kernel as torch does."""
    if not (dtype.is_floating_point or dtype.is_complex):
        hint = hint or (f"this draws floating-point numbers, not {dtype}. For random integers use "
                        "torch.randint(low, high, size); otherwise pass a floating dtype such as dtype=torch.float32")
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dtype.scalar_type}\': {hint}')


def get_rng_state():
    """The generator's state, to restore later with ``set_rng_state``."""
    return dict(generator().bit_generator.state)


def set_rng_state(state):
    generator().bit_generator.state = state


class Generator:
    """``torch.Generator``: a private random stream (``manual_seed`` it, pass it as ``generator=``)."""

    def __init__(self, device="cpu"):
        self._rng = np.random.default_rng(0)
        self._seed = 0

    @classmethod
    def _global(cls):
        gen = cls.__new__(cls)
        gen._rng, gen._seed = generator(), _state["seed"]
        return gen

    def manual_seed(self, seed):
        self._seed = int(seed)
        self._rng = np.random.default_rng(self._seed & 0xFFFF_FFFF_FFFF_FFFF)
        return self

    def initial_seed(self):
        return self._seed
