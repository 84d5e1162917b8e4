"""PyTorch for BNN Playground model files (optional; the rest of the package needs only numpy).

    from bnn_playground.torch import BnnNet
    net = BnnNet.from_file("model.safetensors")        # latent weights when the file has them
    logits = net.eval()(net.prepare(images))            # the file's logits
    ...train (bnn_playground.torch.train)...
    net.export("continued.safetensors", test_accuracy)  # a version-2 file the app imports

Binary convs implement the app's quantizers (``quantizers``): Libra-PB, IMB and the XNOR scale;
STE, ApproxSign, EDE and DTE with their t/k schedules (``BnnNet.set_progress``). ReActNet's
RSign and RPReLU are modules with learnable thresholds, shifts and slopes (``layers``).
"""

try:
    import torch as _torch  # noqa: F401
except ImportError as e:  # pragma: no cover - depends on the machine
    raise ImportError("bnn_playground.torch needs PyTorch (Debian: apt-get install python3-torch; or pip install torch)") from e

from .layers import BatchNorm, BinaryConv2d, Quantization, RPReLU, RSign
from .net import BnnNet, pack_signs, predict_torch
from .quantizers import binarize, binary_weight, surrogate_derivative, weight_transform

__all__ = [
    "BatchNorm",
    "BinaryConv2d",
    "BnnNet",
    "Quantization",
    "RPReLU",
    "RSign",
    "binarize",
    "binary_weight",
    "pack_signs",
    "predict_torch",
    "surrogate_derivative",
    "weight_transform",
]
