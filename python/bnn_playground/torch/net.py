"""A model file as a ``torch.nn.Module`` that runs its op list (docs/EXPORT_FORMAT.md §3), and
back to a model file.

Modules are nested by the dots of the op names, so the state dict's keys read like the file's
parameter names: ``s1.b0.conv1.weight`` is the latent weight of binary conv ``s1.b0.conv1``.
"""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from ..forward import normalise
from ..model_file import Model, load_model, write_model
from ..ops import INPUT
from ..schedules import estimator_tk
from .layers import BatchNorm, BinaryConv2d, Quantization, RPReLU, RSign, shortcut_a
from .quantizers import sign_plus_one, weight_transform


def _tensor(a) -> torch.Tensor:
    """A float32 tensor holding a copy (file arrays are read-only views of the file's bytes)."""
    return torch.from_numpy(np.array(a, dtype=np.float32))


def _hwio_to_oihw(w) -> torch.Tensor:
    return _tensor(np.asarray(w).transpose(3, 2, 0, 1))


def _oihw_to_hwio(w: torch.Tensor) -> np.ndarray:
    return np.ascontiguousarray(w.detach().cpu().numpy().astype(np.float32).transpose(2, 3, 1, 0))


def pack_signs(signs_hwio: np.ndarray) -> np.ndarray:
    """±1 HWIO -> the file's U8 [cout, k, k, ceil(cin/8)]: bit j of byte i is channel 8i + j, 1 means −1."""
    negative = (np.asarray(signs_hwio) < 0).transpose(3, 0, 1, 2)
    return np.packbits(negative, axis=-1, bitorder="little")


class BnnNet(nn.Module):
    """The op list of a model file. Input: normalised images NCHW float32 (``prepare``)."""

    def __init__(self, model: Model, use_latent: bool = True):
        super().__init__()
        c = model.config
        self.source = model
        self.trainable_binary = use_latent and model.latent is not None
        self.quant = Quantization(c["weightTransform"], c["activationEstimator"], c["weightEstimator"])
        self._ops = list(model.ops)
        # The index of the last op reading each tensor, so a forward pass can drop it afterwards.
        self._last_use = {name: i for i, op in enumerate(self._ops) for name in op.inputs}
        self._modules_by_op = {}
        for op in model.ops:
            module = self._build(op, model)
            if module is not None:
                self._register(op.name, module)
                self._modules_by_op[op.name] = module

    @classmethod
    def from_file(cls, path, use_latent: bool = True) -> "BnnNet":
        return cls(load_model(path), use_latent=use_latent)

    # ------------------------------------------------------------------ building

    def _register(self, dotted: str, module: nn.Module) -> None:
        *path, last = dotted.split(".")
        parent = self
        for part in path:
            child = parent._modules.get(part)
            if child is None:
                if hasattr(parent, part):
                    raise ValueError(f"op name '{dotted}' clashes with an attribute '{part}'")
                child = nn.Module()
                parent.add_module(part, child)
            parent = child
        if last in parent._modules or hasattr(parent, last):
            raise ValueError(f"op name '{dotted}' clashes with another op or attribute")
        parent.add_module(last, module)

    def _build(self, op, m: Model):
        a, name, p = op.attrs, op.name, m.params
        with torch.no_grad():
            if op.kind == "conv2d":
                conv = nn.Conv2d(m.cin[name], a["out"], a["k"], a["stride"], a["pad"], bias=False)
                conv.weight.copy_(_hwio_to_oihw(p[f"{name}.w"]))
                return conv
            if op.kind == "bconv2d":
                conv = BinaryConv2d(m.cin[name], a["out"], a["k"], a["stride"], a["pad"], self.quant, self.trainable_binary)
                if self.trainable_binary:
                    conv.weight.copy_(_hwio_to_oihw(m.latent[f"{name}.w"]))
                else:
                    conv.fixed_weight.copy_(_hwio_to_oihw(m.binary_weight(name)))
                return conv
            if op.kind == "dwconv2d":
                w = p[f"{name}.w"]  # [k, k, C, M] -> [C·M, 1, k, k], out channel c·M + m
                k, _, ch, mult = w.shape
                conv = nn.Conv2d(ch, ch * mult, k, 1, a["pad"], groups=ch, bias=False)
                conv.weight.copy_(_tensor(w.transpose(2, 3, 0, 1).reshape(ch * mult, 1, k, k)))
                return conv
            if op.kind == "batchnorm":
                bn = BatchNorm(p[f"{name}.gamma"].shape[0], a["eps"])
                bn.weight.copy_(_tensor(p[f"{name}.gamma"]))
                bn.bias.copy_(_tensor(p[f"{name}.beta"]))
                bn.running_mean.copy_(_tensor(p[f"{name}.mean"]))
                bn.running_var.copy_(_tensor(p[f"{name}.variance"]))
                return bn
            if op.kind == "rsign":
                rsign = RSign(p[f"{name}.threshold"].shape[0])
                rsign.threshold.copy_(_tensor(p[f"{name}.threshold"]))
                return rsign
            if op.kind == "rprelu":
                act = RPReLU(p[f"{name}.slope"].shape[0])
                for part in ("shift_in", "slope", "shift_out"):
                    getattr(act, part).copy_(_tensor(p[f"{name}.{part}"]))
                return act
            if op.kind == "dense":
                w = p[f"{name}.w"]
                fc = nn.Linear(w.shape[0], w.shape[1])
                fc.weight.copy_(_tensor(w.T))
                fc.bias.copy_(_tensor(p[f"{name}.b"]))
                return fc
        return None

    def layer(self, name: str) -> nn.Module:
        return self._modules_by_op[name]

    # ------------------------------------------------------------------ running

    def prepare(self, images) -> torch.Tensor:
        """uint8 NHWC images (numpy) -> normalised NCHW float32."""
        x = normalise(np.asarray(images), self.source.dataset, np.float32)
        return torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))

    def set_progress(self, p: float) -> None:
        """t, k of both estimators at training progress p (EDE/DTE schedules; STE/ApproxSign ignore them)."""
        c = self.source.config
        self.quant.activation_tk = estimator_tk(c["activationEstimator"], p, c)
        self.quant.weight_tk = estimator_tk(c["weightEstimator"], p, c)

    def forward(self, x: torch.Tensor, return_margin: bool = False, calibrate: bool = False):
        """Logits of normalised NCHW images. ``calibrate`` (inference mode): each BatchNorm first
        takes its statistics from its input over this batch, earlier ones already calibrated."""
        env = {INPUT: x}
        margin = torch.full((x.shape[0],), float("inf"))
        for i, op in enumerate(self._ops):
            a = op.attrs
            h = env[op.inputs[0]]
            if op.kind == "batchnorm" and calibrate:
                self._modules_by_op[op.name].set_statistics(h)
            if op.kind in ("conv2d", "dwconv2d", "batchnorm", "dense", "rsign", "rprelu"):
                y = self._modules_by_op[op.name](h)
            elif op.kind == "bconv2d":
                if return_margin:
                    margin = torch.minimum(margin, h.detach().abs().flatten(1).min(dim=1).values)
                y = self._modules_by_op[op.name](h)
            elif op.kind == "hardtanh":
                y = F.hardtanh(h)
            elif op.kind == "add":
                y = h + env[op.inputs[1]]
            elif op.kind == "shortcut_a":
                y = shortcut_a(h, a["stride"], a["before"], a["after"])
            elif op.kind == "avgpool":
                y = F.avg_pool2d(h, a["size"], a["size"])
            elif op.kind == "concat":
                y = torch.cat([env[i] for i in op.inputs], dim=1)
            elif op.kind == "slice_channels":
                y = h[:, : a["count"]]
            elif op.kind == "global_avgpool":
                y = h.mean(dim=(2, 3))
            else:
                raise ValueError(f"unknown op {op.kind}")
            env[op.name] = y
            for name in op.inputs:
                if self._last_use[name] == i and name != INPUT:
                    del env[name]
        logits = env[self._ops[-1].name]
        return (logits, margin) if return_margin else logits

    # ------------------------------------------------------------------ back to a file

    def to_model(self, test_accuracy=None) -> Model:
        """The net's current weights as a model (same op list, config and dataset). Binary convs
        store sign(T(w)) and α computed from the latent weights, and the latent weights too."""
        src = self.source
        params, bits, latent = {}, {}, ({} if self.trainable_binary else None)
        with torch.no_grad():
            for op in self._ops:
                name, module = op.name, self._modules_by_op.get(op.name)
                if op.kind == "conv2d":
                    params[f"{name}.w"] = _oihw_to_hwio(module.weight)
                elif op.kind == "bconv2d":
                    if module.weight is None:  # fixed bits: the file's, unchanged
                        bits[f"{name}.w"] = src.bits[f"{name}.w"]
                        if f"{name}.scale" in src.params:
                            params[f"{name}.scale"] = src.params[f"{name}.scale"]
                        continue
                    balanced, scale = weight_transform(self.quant.transform, module.weight)
                    bits[f"{name}.w"] = pack_signs(_oihw_to_hwio(sign_plus_one(balanced)))
                    if op.attrs["scale"]:
                        params[f"{name}.scale"] = scale.reshape(-1).cpu().numpy().astype(np.float32)
                    latent[f"{name}.w"] = _oihw_to_hwio(module.weight)
                elif op.kind == "dwconv2d":
                    w = module.weight.detach().cpu().numpy().astype(np.float32)  # [C·M, 1, k, k]
                    k, ch = w.shape[2], module.groups
                    params[f"{name}.w"] = np.ascontiguousarray(w.reshape(ch, -1, k, k).transpose(2, 3, 0, 1))
                elif op.kind == "batchnorm":
                    for part, t in (("gamma", module.weight), ("beta", module.bias), ("mean", module.running_mean), ("variance", module.running_var)):
                        params[f"{name}.{part}"] = t.detach().cpu().numpy().astype(np.float32)
                elif op.kind == "rsign":
                    params[f"{name}.threshold"] = module.threshold.detach().cpu().numpy().astype(np.float32)
                elif op.kind == "rprelu":
                    for part in ("shift_in", "slope", "shift_out"):
                        params[f"{name}.{part}"] = getattr(module, part).detach().cpu().numpy().astype(np.float32)
                elif op.kind == "dense":
                    params[f"{name}.w"] = np.ascontiguousarray(module.weight.detach().cpu().numpy().astype(np.float32).T)
                    params[f"{name}.b"] = module.bias.detach().cpu().numpy().astype(np.float32)
        return Model(2, dict(src.config), dict(src.dataset), test_accuracy, list(src.ops), dict(src.shapes), params, bits, latent, dict(src.cin))

    def export(self, path, test_accuracy=None) -> bytes:
        """Writes the net as a version-2 model file the app imports; returns its bytes."""
        data = write_model(self.to_model(test_accuracy))
        with open(path, "wb") as f:
            f.write(data)
        return data


def predict_torch(model: Model, images, batch: int = 250, use_latent: bool = False):
    """Logits [N, classes] (float64 copies of float32) and margins [N] of uint8 NHWC images, in
    inference mode. By default the file's bits (use_latent=False), as the app evaluates a file."""
    net = BnnNet(model, use_latent=use_latent).eval()
    logits, margins = [], []
    with torch.no_grad():
        for start in range(0, len(images), batch):
            y, m = net(net.prepare(images[start : start + batch]), return_margin=True)
            logits.append(y.double().numpy())
            margins.append(m.double().numpy())
    return np.concatenate(logits), np.concatenate(margins)
