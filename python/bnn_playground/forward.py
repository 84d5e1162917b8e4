"""The forward pass of a model file in numpy (docs/EXPORT_FORMAT.md §3), on a batch of images.

float64 by default: it reproduces the app's float32 logits to about 1e-6 relative, and its
predictions except where a value entering a binary conv lies so close to 0 that the two
precisions disagree on its sign; ``margin`` reports how close each image came.
"""

import numpy as np

from .ops import INPUT


# doc:begin normalise
def normalise(images: np.ndarray, dataset: dict, dtype=np.float64) -> np.ndarray:
    """uint8 NHWC images -> (v / 255 - mean[c]) / std[c]."""
    mean = np.asarray(dataset["mean"], dtype=dtype)
    std = np.asarray(dataset["std"], dtype=dtype)
    return (images.astype(dtype) / 255 - mean) / std
    # doc:end normalise


# doc:begin conv2d
def conv2d(x: np.ndarray, w: np.ndarray, stride: int, pad: int) -> np.ndarray:
    """x [N, H, W, C], w HWIO [k, k, C, O]; zero padding `pad` on every side of H and W."""
    n, k, c, o = x.shape[0], w.shape[0], w.shape[2], w.shape[3]
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    ho = (x.shape[1] + 2 * pad - k) // stride + 1
    wo = (x.shape[2] + 2 * pad - k) // stride + 1
    patches = np.empty((n, ho, wo, k, k, c), dtype=x.dtype)  # im2col: one matrix product
    for i in range(k):
        for j in range(k):
            patches[:, :, :, i, j] = xp[:, i : i + stride * (ho - 1) + 1 : stride, j : j + stride * (wo - 1) + 1 : stride]
    return (patches.reshape(-1, k * k * c) @ w.reshape(k * k * c, o)).reshape(n, ho, wo, o)
    # doc:end conv2d


# doc:begin dwconv2d
def dwconv2d(x: np.ndarray, w: np.ndarray, pad: int) -> np.ndarray:
    """Depthwise, stride 1: y[..., c·M + m] = Σ xp[..., c] · w[ky, kx, c, m]."""
    k, _, c, m = w.shape
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    ho, wo = x.shape[1] + 2 * pad - k + 1, x.shape[2] + 2 * pad - k + 1
    y = np.zeros((x.shape[0], ho, wo, c, m), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            y += xp[:, i : i + ho, j : j + wo, :, None] * w[i, j]
    return y.reshape(x.shape[0], ho, wo, c * m)
    # doc:end dwconv2d


# doc:begin sign
def sign(x: np.ndarray) -> np.ndarray:
    """+1 for x >= 0, −1 otherwise (sign(0) = +1)."""
    return np.where(x >= 0, 1.0, -1.0).astype(x.dtype)
    # doc:end sign


# doc:begin rsign
def rsign(x: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """ReActNet's RSign: y = x − threshold[c]; the binary conv that follows takes sign(y)."""
    return x - threshold
    # doc:end rsign


# doc:begin rprelu
def rprelu(x: np.ndarray, shift_in: np.ndarray, slope: np.ndarray, shift_out: np.ndarray) -> np.ndarray:
    """ReActNet's RPReLU per channel: s = x − shift_in; s where s > 0, else slope · s; plus shift_out."""
    s = x - shift_in
    return np.where(s > 0, s, slope * s) + shift_out
    # doc:end rprelu


# doc:begin forward
def run(model, x: np.ndarray, return_margin: bool = False):
    """Logits [N, classes] of normalised images x [N, H, W, C]. With ``return_margin``, also each
    image's smallest |value| entering a binary conv's sign (inf without binary convs)."""
    dtype = x.dtype
    p = {name: v.astype(dtype) for name, v in model.params.items()}
    weights = {op.name: model.binary_weight(op.name).astype(dtype) for op in model.ops if op.kind == "bconv2d"}
    margin = np.full(x.shape[0], np.inf)
    env = {INPUT: x}
    for op in model.ops:
        a, name = op.attrs, op.name
        x = env[op.inputs[0]]
        if op.kind == "conv2d":
            y = conv2d(x, p[f"{name}.w"], a["stride"], a["pad"])
        elif op.kind == "bconv2d":  # binarise, then zero-pad: padding contributes 0
            margin = np.minimum(margin, np.abs(x).reshape(len(x), -1).min(axis=1))
            y = conv2d(sign(x), weights[name], a["stride"], a["pad"])
        elif op.kind == "dwconv2d":
            y = dwconv2d(x, p[f"{name}.w"], a["pad"])
        elif op.kind == "batchnorm":
            g, b, mu, var = (p[f"{name}.{k}"] for k in ("gamma", "beta", "mean", "variance"))
            y = g * (x - mu) / np.sqrt(var + a["eps"]) + b
        elif op.kind == "hardtanh":
            y = np.clip(x, -1, 1)
        elif op.kind == "rsign":
            y = rsign(x, p[f"{name}.threshold"])
        elif op.kind == "rprelu":
            y = rprelu(x, *(p[f"{name}.{k}"] for k in ("shift_in", "slope", "shift_out")))
        elif op.kind == "add":
            y = x + env[op.inputs[1]]
        elif op.kind == "shortcut_a":
            s = a["stride"]
            y = np.pad(x[:, ::s, ::s], ((0, 0), (0, 0), (0, 0), (a["before"], a["after"])))
        elif op.kind == "avgpool":
            k = a["size"]
            n, h, w, c = x.shape[0], x.shape[1] // k, x.shape[2] // k, x.shape[3]
            y = x[:, : h * k, : w * k].reshape(n, h, k, w, k, c).mean(axis=(2, 4))
        elif op.kind == "concat":
            y = np.concatenate([env[i] for i in op.inputs], axis=-1)
        elif op.kind == "slice_channels":
            y = x[..., : a["count"]]
        elif op.kind == "global_avgpool":
            y = x.mean(axis=(1, 2))
        elif op.kind == "dense":
            y = x @ p[f"{name}.w"] + p[f"{name}.b"]
        env[name] = y
    logits = env[model.ops[-1].name]
    return (logits, margin) if return_margin else logits
    # doc:end forward


def predict(model, images: np.ndarray, batch: int = 250, dtype=np.float64):
    """Logits [N, classes] and margins [N] of uint8 NHWC images, in batches."""
    logits, margins = [], []
    for start in range(0, len(images), batch):
        y, m = run(model, normalise(images[start : start + batch], model.dataset, dtype), return_margin=True)
        logits.append(y)
        margins.append(m)
    return np.concatenate(logits), np.concatenate(margins)
