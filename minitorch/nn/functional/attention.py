"""Attention: every query position takes a weighted mean of the value vectors, weighted by how
well the query matches each key.

``scaled_dot_product_attention`` is the formula; ``multi_head_attention_forward`` projects the
inputs into ``num_heads`` smaller spaces, attends in each, and projects the heads back together.
Both are composed from matmul, softmax, masked_fill and linear, so their gradients come for free.
"""
import math
import warnings

import numpy as np

from ... import _creation, _dtype
from ..._functions.shape import cat
from .activation import softmax
from .layers import dropout, linear
from .padding import pad

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """Attention(Q, K, V) = softmax(Q K^T * scale + M) V, with Q (..., L, E), K (..., S, E), V (..., S, Ev).

    ``scale`` defaults to 1 / sqrt(E): it keeps the dot products at unit variance, so the softmax
    does not saturate. M is 0 where query i may look at key j and -inf where it may not:
    a bool ``attn_mask`` is True where attention is allowed, a float one is added as it is, and
    ``is_causal`` allows j <= i only (a lower-triangular mask). A query row that may look at no key
    at all gives zeros (as torch), not the nan of softmax over only -inf. With ``enable_gqa``, K and V
    may have fewer heads (dim -3) than Q: each of their heads serves Hq / Hk query heads.
    The gradients follow from those of matmul and softmax."""
    _check_attention_inputs(query, key, value, attn_mask, is_causal)
    if enable_gqa:
        key, value = _repeat_heads(key, query.shape[-3]), _repeat_heads(value, query.shape[-3])
    _check_attention_shapes(query, key, value)
    scale = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    scores = (query @ key.transpose(-2, -1)) * scale
    if is_causal:
        attn_mask = _creation.ones(query.shape[-2], key.shape[-2], dtype=_dtype.bool_, device=query.device).tril()
    if attn_mask is not None:
        scores = scores.masked_fill(attn_mask.logical_not(), float("-inf")) if attn_mask.dtype == _dtype.bool_ \
            else scores + attn_mask
    weights = _safe_softmax(scores)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p)
    return weights @ value


def _safe_softmax(scores):
    """softmax over the last dim, with rows that are -inf everywhere (nothing to attend to) set to 0.
    Those rows are replaced by zeros before the softmax, so neither the value nor the gradient is nan."""
    empty_rows = (scores == float("-inf")).all(-1, keepdim=True)
    return softmax(scores.masked_fill(empty_rows, 0.0), dim=-1).masked_fill(empty_rows, 0.0)


def _repeat_heads(tensor, heads):
    """Repeat each head (dim -3) of ``tensor`` heads / H times in place: (..., H, S, E) -> (..., heads, S, E)."""
    h = tensor.shape[-3]
    if heads % h:
        raise RuntimeError(f"scaled_dot_product_attention: with enable_gqa=True the number of query heads ({heads}) "
                           f"must be a multiple of the number of key/value heads ({h})")
    shape = tuple(tensor.shape)
    grown = tensor.unsqueeze(-3).expand(*shape[:-2], heads // h, *shape[-2:])
    return grown.reshape(*shape[:-3], heads, *shape[-2:])


def _check_attention_inputs(query, key, value, attn_mask, is_causal):
    """Dims, dtypes and the mask's dtype, with torch's RuntimeErrors."""
    if min(query.ndim, key.ndim, value.ndim) < 2:
        raise RuntimeError(f"scaled_dot_product_attention: expected query, key and value to be at least 2-D "
                           f"(..., length, embedding), but got {query.ndim}-D, {key.ndim}-D and {value.ndim}-D")
    if not query.dtype == key.dtype == value.dtype:
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{query.dtype} key.dtype: {key.dtype} and value.dtype: {value.dtype} instead.")
    if attn_mask is not None and attn_mask.dtype not in (_dtype.bool_, query.dtype):
        raise RuntimeError(f"Expected attn_mask dtype to be bool or to match query dtype, but got attn_mask.dtype: "
                           f"{attn_mask.dtype} and query.dtype: {query.dtype} instead.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True")


def _check_attention_shapes(query, key, value):
    """Q (..., L, E), K (..., S, E) and V (..., S, Ev), with batch dims that broadcast."""
    q, k, v = tuple(query.shape), tuple(key.shape), tuple(value.shape)
    if q[-1] != k[-1] or k[-2] != v[-2]:
        raise RuntimeError(f"scaled_dot_product_attention: expected query (..., L, E), key (..., S, E) and value "
                           f"(..., S, Ev), but got query {list(q)}, key {list(k)} and value {list(v)}")
    try:
        np.broadcast_shapes(q[:-2], k[:-2], v[:-2])
    except ValueError:
        raise RuntimeError(f"scaled_dot_product_attention: the batch dims of query {list(q[:-2])}, key "
                           f"{list(k[:-2])} and value {list(v[:-2])} do not broadcast") from None


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
                                 bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
                                 training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
                                 v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
                                 is_causal=False):
    """MultiHead(Q, K, V) = concat(head_1, ..., head_h) W_o^T + b_o, head_i = Attention(Q W_qi^T, K W_ki^T, V W_vi^T).

    Inputs are (L, N, E) query and (S, N, kdim), (S, N, vdim) key and value, or the same without N.
    Each head attends in its own E / h dims (the rows of W_q, W_k, W_v split in h blocks), so the
    heads can look for different things at the same cost as one full-width head. Masks: a bool
    ``key_padding_mask`` (N, S) or ``attn_mask`` (L, S) or (N * h, L, S) is True where attention is NOT
    allowed (the opposite of scaled_dot_product_attention's), a float one is added to the scores.
    ``bias_k``/``bias_v`` append one learnt key and value, ``add_zero_attn`` one of zeros.
    ``is_causal`` is only a hint that ``attn_mask`` is causal. Returns the output and, with
    ``need_weights``, the attention weights (N, L, S) averaged over heads (or (N, h, L, S)).
    The gradients follow from those of linear, matmul and softmax."""
    batched = _check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        key_padding_mask = None if key_padding_mask is None else key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    head_dim = _check_mha_sizes(key, value, embed_dim, embed_dim_to_check, num_heads, use_separate_proj_weight)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if key_padding_mask is not None and attn_mask is not None and key_padding_mask.dtype != attn_mask.dtype:
        warnings.warn("Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for both "
                      "instead.", stacklevel=2)
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask", query.dtype)
    attn_mask = _mask_3d(_canonical_mask(attn_mask, "attn_mask", query.dtype), tgt_len, key.shape[0],
                         bsz * num_heads)
    q, k, v = _in_projection(query, key, value, in_proj_weight, in_proj_bias,
                             (q_proj_weight, k_proj_weight, v_proj_weight) if use_separate_proj_weight else None)
    if bias_k is not None and bias_v is not None:
        k, v = _append(k, bias_k.expand(1, bsz, embed_dim), 0), _append(v, bias_v.expand(1, bsz, embed_dim), 0)
        attn_mask, key_padding_mask = _pad_key(attn_mask), _pad_key(key_padding_mask)
    q, k, v = (x.reshape(x.shape[0], bsz * num_heads, head_dim).transpose(0, 1) for x in (q, k, v))
    k = k if static_k is None else _check_static(static_k, "static_k", bsz * num_heads, head_dim)
    v = v if static_v is None else _check_static(static_v, "static_v", bsz * num_heads, head_dim)
    if add_zero_attn:
        zeros = _creation.zeros(bsz * num_heads, 1, head_dim, dtype=k.dtype, device=k.device)
        k, v = _append(k, zeros, 1), _append(v, zeros, 1)
        attn_mask, key_padding_mask = _pad_key(attn_mask), _pad_key(key_padding_mask)
    attn_mask = _merge_padding(attn_mask, key_padding_mask, bsz, num_heads, k.shape[1])
    dropout_p = dropout_p if training else 0.0
    if need_weights:
        output, weights = _attention_with_weights(q, k, v, attn_mask, dropout_p, num_heads, average_attn_weights)
    else:
        output, weights = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p), None
    output = linear(output.transpose(0, 1).reshape(tgt_len * bsz, embed_dim), out_proj_weight, out_proj_bias)
    output = output.reshape(tgt_len, bsz, embed_dim)
    if not batched:
        output, weights = output.squeeze(1), None if weights is None else weights.squeeze(0)
    return output, weights


def _attention_with_weights(q, k, v, attn_mask, dropout_p, num_heads, average):
    """softmax(q k^T / sqrt(head_dim) + mask) v for q (N * h, L, head_dim), and the weights (N, h, L, S),
    or (N, L, S) averaged over the heads. As torch here, a row with no allowed key gives nan."""
    scores = (q * math.sqrt(1.0 / q.shape[-1])) @ k.transpose(1, 2)
    weights = softmax(scores if attn_mask is None else scores + attn_mask, dim=-1)
    output = (dropout(weights, dropout_p) if dropout_p > 0 else weights) @ v
    weights = weights.reshape(-1, num_heads, *weights.shape[1:])
    return output, weights.mean(dim=1) if average else weights


def _check_mha_sizes(key, value, embed_dim, embed_dim_to_check, num_heads, separate):
    """The embedding size the module expects, divisible into heads, and keys that match the values.
    Returns the size of one head."""
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    if embed_dim % num_heads:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if (key.shape[:2] != value.shape[:2]) if separate else (key.shape != value.shape):
        raise AssertionError(f"key shape {tuple(key.shape)} does not match value shape {tuple(value.shape)}")
    return embed_dim // num_heads


def _in_projection(query, key, value, in_proj_weight, in_proj_bias, separate_weights):
    """q = query W_q^T + b_q, k = key W_k^T + b_k, v = value W_v^T + b_v. W_q, W_k, W_v are the three
    row blocks of ``in_proj_weight``, or their own tensors when key and value have other sizes."""
    weights = separate_weights if separate_weights is not None else in_proj_weight.chunk(3)
    biases = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
    return tuple(linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases))


def _mask_3d(attn_mask, tgt_len, src_len, heads):
    """A (L, S) mask as (1, L, S); a 3-D mask must be (N * num_heads, L, S). torch's RuntimeErrors."""
    if attn_mask is None:
        return None
    if attn_mask.ndim == 2:
        if tuple(attn_mask.shape) != (tgt_len, src_len):
            raise RuntimeError(f"The shape of the 2D attn_mask is {tuple(attn_mask.shape)}, but should be "
                               f"{(tgt_len, src_len)}.")
        return attn_mask.unsqueeze(0)
    if tuple(attn_mask.shape) != (heads, tgt_len, src_len):
        raise RuntimeError(f"The shape of the 3D attn_mask is {tuple(attn_mask.shape)}, but should be "
                           f"{(heads, tgt_len, src_len)} (batch size * num_heads, target length, source length).")
    return attn_mask


def _append(tensor, extra, dim):
    """``tensor`` with ``extra`` appended along ``dim`` (one more key or value)."""
    return cat([tensor, extra], dim=dim)


def _pad_key(mask):
    """A float mask with one more key column, open (0), for a key appended by bias_k or add_zero_attn."""
    return None if mask is None else pad(mask, (0, 1))


def _check_static(tensor, name, heads, head_dim):
    """A precomputed key or value must already be (N * num_heads, S, head_dim)."""
    if tensor.shape[0] != heads or tensor.shape[2] != head_dim:
        raise AssertionError(f"expecting {name} of shape ({heads}, S, {head_dim}), but got {tuple(tensor.shape)}")
    return tensor


def _merge_padding(attn_mask, key_padding_mask, bsz, num_heads, src_len):
    """Add the (N, S) key padding mask, repeated for every head and query, to the attention mask."""
    if key_padding_mask is None:
        return attn_mask
    if tuple(key_padding_mask.shape) != (bsz, src_len):
        raise AssertionError(f"expecting key_padding_mask shape of {(bsz, src_len)}, but got "
                             f"{tuple(key_padding_mask.shape)}")
    padding = key_padding_mask.reshape(bsz, 1, 1, src_len).expand(bsz, num_heads, 1, src_len)
    padding = padding.reshape(bsz * num_heads, 1, src_len)
    return padding if attn_mask is None else attn_mask + padding


def _canonical_mask(mask, name, dtype):
    """A bool mask (True = do NOT attend, torch's convention in nn.MultiheadAttention) as a float mask
    of 0 and -inf; a float mask is returned as it is. Other dtypes raise AssertionError, as torch."""
    if mask is None:
        return None
    if mask.dtype == _dtype.bool_:
        return _creation.zeros(*mask.shape, dtype=dtype, device=mask.device).masked_fill(mask, float("-inf"))
    if not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {name} are supported, got {mask.dtype}")
    return mask


def _check_mha_shapes(query, key, value, key_padding_mask, attn_mask, num_heads):
    """torch's checks of the dims: batched (L, N, E) or unbatched (L, E) inputs with masks to match.
    Returns whether the input is batched."""
    if query.ndim not in (2, 3):
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D query "
                             f"tensor")
    batched, kind = query.ndim == 3, "batched (3-D)" if query.ndim == 3 else "unbatched (2-D)"
    if key.ndim != query.ndim or value.ndim != query.ndim:
        raise AssertionError(f"For {kind} `query`, expected `key` and `value` to be {query.ndim}-D but found "
                             f"{key.ndim}-D and {value.ndim}-D tensors respectively")
    if key_padding_mask is not None and key_padding_mask.ndim != query.ndim - 1:
        raise AssertionError(f"For {kind} `query`, expected `key_padding_mask` to be `None` or {query.ndim - 1}-D "
                             f"but found {key_padding_mask.ndim}-D tensor instead")
    if attn_mask is not None and attn_mask.ndim not in (2, 3):
        raise AssertionError(f"For {kind} `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found "
                             f"{attn_mask.ndim}-D tensor instead")
    return batched
