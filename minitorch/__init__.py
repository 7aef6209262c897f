"""minitorch: a small, readable PyTorch on numpy (CPU) and cupy (GPU).

``import minitorch as torch`` runs PyTorch code for the subset covered here. This module only
hands names on; each lives in the file that defines it.
"""
from . import _tensor_methods  # noqa: F401  (attaches the operators and methods to Tensor)
from ._backend import device
from ._creation import (arange, as_tensor, empty, empty_like, eye, from_numpy, full, full_like, linspace, logspace,
                        ones, ones_like, tensor, zeros, zeros_like)
from ._random_tensors import (bernoulli, multinomial, normal, rand, rand_like, randint, randint_like, randn, randn_like,
                              randperm)
from ._dtype_info import (BoolTensor, ByteTensor, CharTensor, DoubleTensor, FloatTensor, HalfTensor, IntTensor,
                          LongTensor, ShortTensor, finfo, iinfo)
from ._dtype import (bool_ as bool, complex64, complex128, dtype, float16, float32, float64, get_default_dtype,
                     int8, int16, int32, int64, promote_types, result_type, can_cast, set_default_dtype, uint8)
from ._functions._operands import broadcast_shapes
from ._functions.compare import (allclose, bitwise_and, bitwise_not, bitwise_or, bitwise_xor, eq, equal, ge,
                                 greater, greater_equal, gt, isclose, isfinite, isinf, isnan, le, less, less_equal,
                                 logical_and, logical_not, logical_or, logical_xor, lt, ne, not_equal)
from ._functions.convert import to
from ._functions.elementwise import add, div, floor_divide, fmod, maximum, minimum, mul, pow, remainder, sub, where
from ._functions.unary import (abs, ceil, clamp, clip, cos, exp, expm1, floor, frac, log, log1p, log2, log10, neg,
                               reciprocal, relu, round, rsqrt, sigmoid, sign, sin, sqrt, square, tan, tanh, trunc)
from ._functions.indexing import (gather, index_add, index_select, masked_fill, masked_select, nonzero,
                                  repeat_interleave, scatter, scatter_add, take, take_along_dim)
from ._functions.matmul import bmm, dot, einsum, ger, inner, matmul, mm, mv, outer, tensordot, vdot
from ._functions.linalg_products import matrix_exp, matrix_power
from ._functions.linalg_solve import det, inverse, logdet, slogdet
from ._functions.linalg_structure import diag, diag_embed, diagonal, kron, trace, tril, triu
from ._functions.reduce import (all, amax, amin, any, argmax, argmin, count_nonzero, cumprod, cumsum, logsumexp, max,
                                mean, min, norm, prod, std, std_mean, sum, var, var_mean)
from ._functions.shape import (broadcast_to, cat, chunk, clone, concat, concatenate, flatten, flip, hstack, movedim,
                               narrow, permute, repeat, reshape, roll, select, split, squeeze, stack, swapaxes,
                               swapdims, t, tile, transpose, unbind, unflatten, unsqueeze, vstack)
from ._functions.softmax import log_softmax, softmax
from ._functions.sorting import (argsort, bucketize, kthvalue, median, mode, msort, nanmedian, searchsorted, sort,
                               topk, unique, unique_consecutive)
from ._functions import return_types
from ._functions.special import erf, erfc
from ._functions.trig import (acos, acosh, arccos, arccosh, arcsin, arcsinh, arctan, arctan2, arctanh, asin, asinh, atan,
                              atan2, atanh, cosh, deg2rad, hypot, rad2deg, sinh)
from ._functions.pointwise import (addcdiv, addcmul, clamp_max, clamp_min, copysign, exp2, float_power, heaviside, lerp,
                                   logaddexp, logaddexp2, nan_to_num, signbit, xlogy)
from ._functions.matrix_ops import (addbmm, addmm, addmv, addr, baddbmm, block_diag, cartesian_prod, cdist,
                                    meshgrid)
from ._functions.scans import aminmax, cummax, cummin, diff, logcumsumexp, nanmean, nansum
from ._functions.indexing import index_copy, index_fill
from ._functions.shape_conveniences import (argwhere, atleast_1d, atleast_2d, atleast_3d, broadcast_tensors,
                                            column_stack, diagflat, dsplit, dstack, fliplr, flipud, hsplit, moveaxis,
                                            narrow_copy, ravel, rot90, row_stack, tensor_split, vsplit)
from ._functions.counting import bincount, dist, histc, is_nonzero, tril_indices, triu_indices, vander
from ._functions.trapezoid import cumulative_trapezoid, trapezoid, trapz
from ._functions.legacy_linalg import cholesky, cholesky_inverse, cholesky_solve, cross, pinverse, qr, svd
from ._functions.complex_parts import angle, complex, imag, polar, real, view_as_complex, view_as_real
from ._functions.linalg_structure import conj
from ._random import Generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from ._tensor import Size, Tensor
from ._tensor_str import set_printoptions
from ._threads import get_num_threads, set_num_threads
from .autograd import (enable_grad, inference_mode, is_anomaly_check_nan_enabled, is_anomaly_enabled, is_grad_enabled,
                       is_inference_mode_enabled, no_grad, set_grad_enabled)
from . import accelerator, autograd, backends, cuda, linalg  # noqa: E402
from . import datasets, nn, utils  # noqa: E402
from .serialization import load, save  # noqa: E402
from . import optim  # noqa: E402

# torch's aliases
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
cfloat = complex64
cdouble = complex128
subtract, multiply, divide, true_divide, negative, absolute = sub, mul, div, div, neg, abs
__version__ = "0.1.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def detach(input):
    return input.detach()


def is_floating_point(input):
    return input.is_floating_point()
