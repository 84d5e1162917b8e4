"""The app's binarisation in PyTorch (docs/TECHNIQUES.md; src/bnn/quantizers/*.ts).

Forward: sign(x) with sign(0) = +1 (torch.sign gives 0 at 0). Backward: the estimator's
surrogate derivative, dL/dx = dL/dy · est'(x):
  ste         1[|x| ≤ 1]
  approxsign  2 − 2|x| for |x| ≤ 1, else 0
  ede         k · t · (1 − tanh²(t·x))
  dte         k · t · (1 − tanh²(t·x/σ)) / σ,  σ = population std of the whole tensor + 1e-8, detached
Weight transforms of a binary conv's latent weight w (PyTorch layout [cout, cin, k, k]; "per o"
statistics over the other axes): Bw = sign(balanced) · scale.
"""

import math

import torch

ESTIMATORS = ("ste", "approxsign", "ede", "dte")
WEIGHT_TRANSFORMS = ("none", "xnor", "librapb", "imb")
PER_OUT_CHANNEL = (1, 2, 3)


def surrogate_derivative(estimator: str, x: torch.Tensor, t: float, k: float) -> torch.Tensor:
    if estimator == "ste":
        return (x.abs() <= 1).to(x.dtype)
    if estimator == "approxsign":
        return torch.relu(2 - 2 * x.abs())
    if estimator == "ede":
        return (k * t) * (1 - torch.tanh(x * t) ** 2)
    if estimator == "dte":
        sigma = (x.detach().var(unbiased=False).sqrt() + 1e-8) if x.numel() > 0 else torch.ones((), dtype=x.dtype)
        return (k * t) * (1 - torch.tanh((x / sigma) * t) ** 2) / sigma
    raise ValueError(f"unknown estimator '{estimator}' (known: {', '.join(ESTIMATORS)})")


def sign_plus_one(x: torch.Tensor) -> torch.Tensor:
    """+1 where x ≥ 0, −1 elsewhere."""
    return torch.where(x >= 0, torch.ones_like(x), -torch.ones_like(x))


class BinarizeFn(torch.autograd.Function):
    """y = sign(x) forward; dy · est'(x) backward."""

    @staticmethod
    def forward(ctx, x, estimator, t, k):
        ctx.save_for_backward(x)
        ctx.estimator, ctx.t, ctx.k = estimator, t, k
        return sign_plus_one(x)

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        return dy * surrogate_derivative(ctx.estimator, x, ctx.t, ctx.k), None, None, None


def binarize(x: torch.Tensor, estimator: str, tk=(1.0, 1.0)) -> torch.Tensor:
    if estimator not in ESTIMATORS:
        raise ValueError(f"unknown estimator '{estimator}' (known: {', '.join(ESTIMATORS)})")
    return BinarizeFn.apply(x, estimator, float(tk[0]), float(tk[1]))


def balance_standardize(w: torch.Tensor) -> torch.Tensor:
    """ŵs = (w − mean_o w) / std_o(w − mean_o w): unbiased std (n − 1), 1e-12 under the root."""
    n = w[0].numel()
    centred = w - w.mean(dim=PER_OUT_CHANNEL, keepdim=True)
    variance = (centred**2).sum(dim=PER_OUT_CHANNEL, keepdim=True) / (n - 1)
    return centred / torch.sqrt(variance + 1e-12)


def weight_transform(name: str, w: torch.Tensor):
    """(balanced, scale [cout, 1, 1, 1] or None):
    none     sign(w)
    xnor     α_o = mean_o |w|, not detached (XNOR-Net)
    librapb  ŵs; s_o = 2^round(log2 mean_o |ŵs|), detached (IR-Net Libra-PB)
    imb      ŵs; α_o = mean_o |ŵs|, detached (DIR-Net IMB, our reading)"""
    if name == "none":
        return w, None
    if name == "xnor":
        return w, w.abs().mean(dim=PER_OUT_CHANNEL, keepdim=True)
    if name not in ("librapb", "imb"):
        raise ValueError(f"unknown weight transform '{name}' (known: {', '.join(WEIGHT_TRANSFORMS)})")
    balanced = balance_standardize(w)
    m = balanced.abs().mean(dim=PER_OUT_CHANNEL, keepdim=True).detach()
    if name == "imb":
        return balanced, m
    return balanced, torch.pow(2.0, torch.round(torch.log(m) / math.log(2)))


def binary_weight(w: torch.Tensor, transform: str, estimator: str, tk=(1.0, 1.0)) -> torch.Tensor:
    """Bw = sign(balanced) · scale, with the weights' estimator in the backward pass."""
    balanced, scale = weight_transform(transform, w)
    signs = binarize(balanced, estimator, tk)
    return signs if scale is None else signs * scale
