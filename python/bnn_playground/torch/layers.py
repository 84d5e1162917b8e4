"""Layers with the app's exact semantics (src/bnn/model/forward.ts), NCHW."""

import torch
import torch.nn.functional as F
from torch import nn

from .quantizers import binarize, binary_weight


class Quantization:
    """What binary convs binarise with; shared by every binary conv of a net. t, k follow the
    estimators' schedules during training (BnnNet.set_progress); inference needs none."""

    def __init__(self, transform: str, activation: str, weight: str):
        self.transform = transform
        self.activation = activation
        self.weight = weight
        self.activation_tk = (1.0, 1.0)
        self.weight_tk = (1.0, 1.0)


class BinaryConv2d(nn.Module):
    """sign(x) (before zero padding, so padding contributes 0) convolved with Bw = sign(T(w)) · α.

    With latent weights, ``weight`` is the trainable latent [cout, cin, k, k] and Bw is computed
    from it on every call; without them, ``fixed_weight`` holds the file's Bw and cannot train.
    """

    def __init__(self, cin: int, cout: int, k: int, stride: int, pad: int, quant: Quantization, trainable: bool):
        super().__init__()
        self.stride, self.pad, self.quant = stride, pad, quant
        if trainable:
            self.weight = nn.Parameter(torch.zeros(cout, cin, k, k))
        else:
            self.weight = None
            self.register_buffer("fixed_weight", torch.zeros(cout, cin, k, k))

    def binary_weight(self) -> torch.Tensor:
        if self.weight is None:
            return self.fixed_weight
        q = self.quant
        return binary_weight(self.weight, q.transform, q.weight, q.weight_tk)

    def forward(self, x):
        xb = binarize(x, self.quant.activation, self.quant.activation_tk)
        return F.conv2d(xb, self.binary_weight(), None, self.stride, self.pad)


class BatchNorm(nn.Module):
    """y = γ · (x − μ) / √(σ² + ε) + β over every axis but the channels (axis 1).

    Training normalises with the batch mean and the *biased* batch variance and updates the
    moving statistics with momentum 0.1 from the same biased variance, as the app does (PyTorch's
    BatchNorm feeds the unbiased one into its running variance)."""

    def __init__(self, channels: int, eps: float, momentum: float = 0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))

    @torch.no_grad()
    def set_statistics(self, x) -> None:
        """The moving statistics := the mean and biased variance of x (BN calibration)."""
        dims = [0] + list(range(2, x.dim()))
        self.running_mean.copy_(x.mean(dim=dims))
        self.running_var.copy_(x.var(dim=dims, unbiased=False))

    def forward(self, x):
        dims = [0] + list(range(2, x.dim()))
        view = [1, -1] + [1] * (x.dim() - 2)
        if self.training:
            mean = x.mean(dim=dims)
            var = x.var(dim=dims, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var)
        else:
            mean, var = self.running_mean, self.running_var
        inv = self.weight / torch.sqrt(var + self.eps)
        return (x - mean.view(view)) * inv.view(view) + self.bias.view(view)


def _per_channel(v: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """A [C] parameter shaped to broadcast over x's channel axis (1), maps or vectors alike."""
    return v.view([1, -1] + [1] * (x.dim() - 2))


class RSign(nn.Module):
    """ReActNet's RSign: y = x − α_c with a learned per-channel threshold α (``threshold``). The
    binary conv after it binarises y, so the activations' estimator carries the gradient to α."""

    def __init__(self, channels: int):
        super().__init__()
        self.threshold = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return x - _per_channel(self.threshold, x)


class RPReLU(nn.Module):
    """ReActNet's RPReLU per channel: s = x − γ; s for s > 0, else β · s; plus ζ (``shift_in``,
    ``slope``, ``shift_out``). As relu(s) − β · relu(−s), the app's form: the same values, and
    gradients 0 in s at s = 0 as tfjs's relu gives them."""

    def __init__(self, channels: int):
        super().__init__()
        self.shift_in = nn.Parameter(torch.zeros(channels))
        self.slope = nn.Parameter(torch.full((channels,), 0.25))
        self.shift_out = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        s = x - _per_channel(self.shift_in, x)
        return F.relu(s) - _per_channel(self.slope, x) * F.relu(-s) + _per_channel(self.shift_out, x)


def shortcut_a(x, stride: int, before: int, after: int):
    """ResNet option A: x[:, :, ::s, ::s], then zero channels in front and behind."""
    y = x[:, :, ::stride, ::stride]
    return F.pad(y, (0, 0, 0, 0, before, after)) if before or after else y
