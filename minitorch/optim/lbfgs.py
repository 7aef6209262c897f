"""L-BFGS: a quasi-Newton method that builds curvature information from recent steps."""
from .._backend import array_module
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad
from ._line_search import strong_wolfe
from ._arguments import as_numbers, check_lr
from .optimizer import Optimizer


class LBFGS(Optimizer):
    r"""L-BFGS (torch.optim.LBFGS), Liu & Nocedal (1989), "On the limited memory BFGS method for large
    scale optimization"; the two-loop recursion is algorithm 7.4 of Nocedal & Wright (2006).

    All parameters are treated as one flat vector :math:`x`. From the last ``history_size`` pairs
    :math:`s_i = x_{i+1}-x_i`, :math:`y_i = g_{i+1}-g_i` (kept only when :math:`y_i^\top s_i > 10^{-10}`)
    the two-loop recursion computes :math:`d = -H g`, an approximation of the Newton direction,
    with the initial scaling :math:`H_0 = \frac{y^\top s}{y^\top y} I`. Then
    :math:`x \leftarrow x + t d` with :math:`t` = ``lr`` (the first step: :math:`\min(1, 1/\|g\|_1)\,lr`)
    or the step found by a strong-Wolfe line search. One ``step(closure)`` runs up to ``max_iter``
    such iterations, so it needs a ``closure`` that re-evaluates the loss and its gradients.
    Only one parameter group is supported, as in torch.
    """

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9,
                 history_size=100, line_search_fn=None):
        check_lr(lr)
        if line_search_fn not in (None, "strong_wolfe"):
            raise ValueError(f"line_search_fn must be None or 'strong_wolfe', got {line_search_fn!r}")
        max_eval = max_iter * 5 // 4 if max_eval is None else max_eval
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval, tolerance_grad=tolerance_grad,
                        tolerance_change=tolerance_change, history_size=history_size, line_search_fn=line_search_fn)
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]

    # ------------------------------------------------------------------ the parameters as one vector
    def _gather_flat_grad(self):
        """All gradients concatenated into one flat array (zeros where a gradient is None)."""
        xp = array_module(self._params[0].array)
        return xp.concatenate([xp.zeros(p.numel(), p.array.dtype) if p.grad is None else p.grad.array.ravel()
                               for p in self._params])

    def _add_grad(self, step_size, direction):
        """x <- x + step_size * direction, written into each parameter's slice."""
        offset = 0
        for p in self._params:
            p.array += step_size * direction[offset:offset + p.numel()].reshape(p.array.shape)
            p._bump_version()
            offset += p.numel()

    def _set_params(self, arrays):
        for p, array in zip(self._params, arrays):
            p.array[...] = array
            p._bump_version()

    def _directional_evaluate(self, closure, x, t, d):
        """Loss and flat gradient at x + t d; the parameters are put back to x afterwards."""
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        self._set_params(x)
        return loss, flat_grad

    # ------------------------------------------------------------------ one step = up to max_iter iterations
    def step(self, closure):
        """Run up to ``max_iter`` L-BFGS iterations; ``closure()`` must zero the gradients, compute
        the loss, call ``backward()`` and return the loss. Returns the loss of the first evaluation."""
        with no_grad():
            return self._step(enable_grad()(closure))

    def _step(self, closure):
        group = as_numbers(self.param_groups[0])
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        xp = array_module(flat_grad)
        if float(xp.abs(flat_grad).max()) <= tolerance_grad:
            return orig_loss

        d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss = _unpack(state)
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, H_diag = -flat_grad, [], [], [], 1
            else:
                y, s = flat_grad - prev_flat_grad, d * t
                ys = float(y @ s)
                if ys > 1e-10:  # keep only pairs with positive curvature
                    if len(old_dirs) == group["history_size"]:
                        old_dirs.pop(0), old_stps.pop(0), ro.pop(0)
                    old_dirs.append(y), old_stps.append(s), ro.append(1.0 / ys)
                    H_diag = ys / float(y @ y)
                d, al = _two_loop_direction(flat_grad, old_dirs, old_stps, ro, H_diag)
                state["al"] = al + [None] * (group["history_size"] - len(al))
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / float(xp.abs(flat_grad).sum())) * lr if state["n_iter"] == 1 else lr
            gtd = float(flat_grad @ d)  # directional derivative
            if gtd > -tolerance_change:
                break

            if group["line_search_fn"] == "strong_wolfe":
                x_init = [p.array.copy() for p in self._params]
                loss, flat_grad, t, evaluations = strong_wolfe(
                    lambda x, t, d: self._directional_evaluate(closure, x, t, d),
                    x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals)
                self._add_grad(t, d)
            else:
                self._add_grad(t, d)
                evaluations = 0
                if n_iter != max_iter:  # re-evaluate, unless this was the last iteration
                    loss = float(closure())
                    flat_grad = self._gather_flat_grad()
                    evaluations = 1
            current_evals += evaluations
            state["func_evals"] += evaluations

            if (n_iter == max_iter or current_evals >= max_eval
                    or float(xp.abs(flat_grad).max()) <= tolerance_grad
                    or float(xp.abs(d * t).max()) <= tolerance_change
                    or abs(loss - prev_loss) < tolerance_change):
                break

        _pack(state, d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss)
        return orig_loss


def _two_loop_direction(flat_grad, old_dirs, old_stps, ro, H_diag):
    """d = -H g by the L-BFGS two-loop recursion (Nocedal & Wright, algorithm 7.4); also returns the
    first loop's coefficients ``al`` (torch keeps them in state)."""
    al = [0.0] * len(old_dirs)
    q = -flat_grad
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = float(old_stps[i] @ q) * ro[i]
        q -= al[i] * old_dirs[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        be_i = float(old_dirs[i] @ r) * ro[i]
        r += (al[i] - be_i) * old_stps[i]
    return r, al


def _pack(state, d, t, old_dirs, old_stps, ro, H_diag, prev_flat_grad, prev_loss):
    """Save the iteration's memory in ``state`` (vectors as Tensors, as torch keeps them)."""
    state.update(d=Tensor._make(d), t=t, old_dirs=[Tensor._make(y) for y in old_dirs],
                 old_stps=[Tensor._make(s) for s in old_stps], ro=list(ro), H_diag=H_diag,
                 prev_flat_grad=Tensor._make(prev_flat_grad), prev_loss=prev_loss)


def _unpack(state):
    """The memory ``_pack`` saved, as arrays (Nones before the first step)."""
    def array(name):
        return state[name].array if name in state else None
    return (array("d"), state.get("t"), [y.array for y in state.get("old_dirs", [])],
            [s.array for s in state.get("old_stps", [])], list(state.get("ro", [])), state.get("H_diag"),
            array("prev_flat_grad"), state.get("prev_loss"))
