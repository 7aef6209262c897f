"""A complex tensor's parts: real, imag, angle, view_as_real, view_as_complex, complex, polar.

``real``, ``imag``, ``view_as_real`` and ``view_as_complex`` are views, as in torch (numpy's
``a.real``, ``a.imag`` and ``a.view(dtype)`` share memory too): ``z.real[0] = 5`` changes z.

minitorch's autograd is for real tensors only (see _tensor.py): a node whose result is complex
(``complex``, ``polar``, ``view_as_complex``) refuses to be differentiated, so a backward that
reaches one raises NotImplementedError. The backward passes below only carry a gradient as far
as that refusal, in torch's convention (a real gradient g of Re z is g; of Im z is i g).
"""
import math

import numpy as np

from .. import _dtype
from .._backend import array_module
from ..autograd.function import Function
from ._operands import broadcast_shapes
from .shape import make_view
from .unary import cos, sin

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}
_NO_HALF = " (minitorch: float and double only; numpy has no complex32 for half)"


class Real(Function):
    """y = Re z (a view of z's memory).  dL/dz = dL/dy (as a complex number)."""

    @staticmethod
    def forward(ctx, z):
        return make_view(z, z.array.real, real)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(_complex_dtype(grad))


class Imag(Function):
    """y = Im z (a view of z's memory).  dL/dz = i dL/dy."""

    @staticmethod
    def forward(ctx, z):
        return make_view(z, z.array.imag, imag)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(_complex_dtype(grad)) * 1j


class ViewAsReal(Function):
    """y[..., 0] = Re z, y[..., 1] = Im z: the same memory seen as pairs of reals (a view).
    dL/dz = dL/dy[..., 0] + i dL/dy[..., 1]."""

    @staticmethod
    def forward(ctx, z):
        return make_view(z, z.array[..., None].view(z.array.real.dtype), view_as_real)

    @staticmethod
    def backward(ctx, grad):
        return view_as_complex(grad.contiguous())


class ViewAsComplex(Function):
    """z = x[..., 0] + i x[..., 1]: pairs of reals seen as complex numbers (a view). Complex: not differentiated."""

    @staticmethod
    def forward(ctx, x):
        return make_view(x, x.array.view(_COMPLEX_OF[x.array.dtype])[..., 0], view_as_complex)


class Complex(Function):
    """z = real + i imag (a new tensor). Complex: not differentiated."""

    @staticmethod
    def forward(ctx, real, imag):
        xp = array_module(real.array)
        out = xp.empty(np.broadcast_shapes(real.array.shape, imag.array.shape), _COMPLEX_OF[real.array.dtype])
        out.real, out.imag = real.array, imag.array
        return out


class Angle(Function):
    """y = arg z = atan2(Im z, Re z); for a real x: pi where x < 0, else 0 (NaN stays NaN).
    dL/dx = 0 for real x (the angle is piecewise constant); for complex z, i z / |z|^2 * dL/dy (0 at z = 0)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        xp = array_module(x.array)
        if x.array.dtype.kind == "c":
            return xp.angle(x.array)
        a = x.array if x.dtype.is_floating_point else x.array.astype(_dtype.get_default_dtype().numpy)
        return xp.where(xp.isnan(a), a, xp.where(a < 0, a.dtype.type(math.pi), a.dtype.type(0)))

    @staticmethod
    def backward(ctx, grad):
        x, = ctx.saved_tensors
        if not x.dtype.is_complex:
            return grad * 0
        size = x.abs() ** 2
        return (grad * x / size.masked_fill(size == 0, 1) * 1j).masked_fill(size == 0, 0)


def _complex_dtype(real_tensor):
    return _dtype.from_numpy(np.dtype(_COMPLEX_OF[real_tensor.array.dtype]))


# ----------------------------------------------------------------------------- public functions
def real(input):
    """The real part of a complex tensor, as a view that writes through; a real tensor itself."""
    return Real.apply(input) if input.dtype.is_complex else input


def imag(input):
    """The imaginary part of a complex tensor, as a view that writes through."""
    if not input.dtype.is_complex:
        raise RuntimeError(f"imag is not implemented for tensors with non-complex dtypes. (this tensor is "
                           f"{input.dtype}; its imaginary part is zero: use torch.zeros_like(x))")
    return Imag.apply(input)


def angle(input):
    """The angle (argument) of each element, in radians: atan2(Im, Re); for real input pi or 0."""
    return Angle.apply(input)


def view_as_real(input):
    """A complex tensor's memory as a real tensor with a last dim of 2 (real, imaginary)."""
    if not input.dtype.is_complex:
        raise RuntimeError(f"view_as_real is only supported for complex tensors (got {input.dtype})")
    return ViewAsReal.apply(input)


def view_as_complex(input):
    """A real tensor with a last dim of 2 (real, imaginary) seen as complex numbers, sharing its memory."""
    if input.array.dtype not in _COMPLEX_OF:
        raise RuntimeError("view_as_complex is only supported for half, float and double tensors, but got a tensor "
                           f"of scalar type: {input.dtype.scalar_type}{_NO_HALF}")
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input.shape[-1] != 2:
        raise RuntimeError(f"Tensor must have a last dimension of size 2 (got shape {list(input.shape)})")
    if input.stride(-1) != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1 (call .contiguous() first)")
    return ViewAsComplex.apply(input)


def _check_parts(real, imag):
    if real.array.dtype not in _COMPLEX_OF or imag.array.dtype not in _COMPLEX_OF:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{real.dtype.scalar_type} and {imag.dtype.scalar_type}{_NO_HALF}")
    if real.dtype is not imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.dtype.scalar_type} but got scalar type "
                           f"{imag.dtype.scalar_type} for second argument")
    broadcast_shapes(real.shape, imag.shape)


def complex(real, imag):
    """The complex tensor real + i imag (broadcast): complex64 from float32 parts, complex128 from float64."""
    _check_parts(real, imag)
    return Complex.apply(real, imag)


def polar(abs, angle):
    """The complex tensor with modulus ``abs`` and argument ``angle``: abs cos(angle) + i abs sin(angle)."""
    _check_parts(abs, angle)
    return Complex.apply(abs * cos(angle), abs * sin(angle))
